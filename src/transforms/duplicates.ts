import type {DuckDBAppender, DuckDBConnection} from '@duckdb/node-api';
import {BIGINT, DuckDBDataChunk, INTEGER, TINYINT} from '../duckdb-api.js';
import {UserError} from '../errors.js';
import type {InputFile} from './discover.js';
import {appendInChunks, copyWords, type WritableVector} from './load.js';
import {CHUNK_ROWS, type RatingBatch} from './parse.js';
import {ParsePool} from './parse-pool.js';

/** Columns of stg_suspect_rating (line_ref, movie_id, customer_id, date_key, rating). */
const SUSPECT_COLUMNS = [BIGINT, INTEGER, INTEGER, INTEGER, TINYINT];

/**
 * Stages the accepted ratings of the suspect movies once more, this time with their line numbers
 * (stg_suspect_rating), for the duplicate rule of 10_duplicates.sql: the parse threads stage no line
 * numbers, which saves the append of a third column for every rating. Only the files that hold a suspect
 * movie are read again, on up to `threads` parse threads while this thread appends, so clean data reads
 * nothing twice. Each file must hash as it did on the first read; a file changed in between is an error,
 * never a silently different result. `pairs` narrows the rows staged to those (movie_id, customer_id).
 */
export async function stageSuspectRatings(
  connection: DuckDBConnection,
  files: InputFile[],
  parsed: {fileId: number; sha256: string; movies: number[]}[],
  suspects: Set<number>,
  threads: number,
  pairs?: [number, number][],
): Promise<number> {
  const rereading = parsed.filter((file) => file.movies.some((movieId) => suspects.has(movieId)));
  if (rereading.length === 0) return 0;
  const only = rereading.map((file) => file.fileId);
  const stager = await SuspectStager.create(connection);
  try {
    const reread = await ParsePool.start(Math.min(threads, only.length)).parse(
      files,
      {
        // the parse threads send the suspects' rows alone, with their line numbers
        batch: (batch) => stager.add(batch),
        rejects() {},
        progress() {},
      },
      {only, suspects: [...suspects], pairs},
    );
    for (const file of rereading) {
      if (reread[file.fileId].sha256 !== file.sha256) {
        throw new UserError(`${files[file.fileId].relPath} changed while the transform was reading it; run the transform again once nothing writes to it`);
      }
    }
  } finally {
    stager.close();
  }
  return stager.staged;
}

/** Appends ratings with their line numbers (RatingBatch rows) to stg_suspect_rating (or a table like it) as DataChunks. */
export class SuspectStager {
  staged = 0;
  private readonly chunk = DuckDBDataChunk.create(SUSPECT_COLUMNS, CHUNK_ROWS);

  private constructor(private readonly appender: DuckDBAppender) {}

  /** Into stg_suspect_rating, or another table of its columns (an append's stg_new_line). */
  static async create(connection: DuckDBConnection, table = 'stg_suspect_rating'): Promise<SuspectStager> {
    return new SuspectStager(await connection.createAppender(table));
  }

  add({lineRef, movieId, customerId, dateKey, rating, length}: RatingBatch): void {
    const chunk = this.chunk;
    appendInChunks(this.appender, chunk, length, (start, rows) => {
      copyWords(chunk.getColumnVector(0) as unknown as WritableVector<BigInt64Array>, lineRef, start, rows);
      copyValues(chunk.getColumnVector(1) as unknown as WritableVector<Int32Array>, movieId, start, rows);
      copyValues(chunk.getColumnVector(2) as unknown as WritableVector<Int32Array>, customerId, start, rows);
      copyValues(chunk.getColumnVector(3) as unknown as WritableVector<Int32Array>, dateKey, start, rows);
      copyValues(chunk.getColumnVector(4) as unknown as WritableVector<Int8Array>, rating, start, rows);
    });
    this.staged += length;
  }

  close(): void {
    this.appender.closeSync();
  }
}

/** Rows [start, start + n) of a 32- or 8-bit column into an INTEGER or TINYINT vector, flushed. */
function copyValues<T extends Int32Array | Int8Array>(vector: WritableVector<T>, values: T, start: number, n: number): void {
  vector.items.subarray(0, n).set(values.subarray(start, start + n));
  vector.flush();
}
