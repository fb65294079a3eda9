import type {DuckDBAppender, DuckDBConnection} from '@duckdb/node-api';
import {BIGINT, DuckDBDataChunk} from '../duckdb-api.js';
import {CHUNK_ROWS, type RatingBatch} from './parse.js';
import type {RejectRecord} from './parse-file.js';
import type {PairKind} from './parse-pairs.js';
import type {CountRows} from './run-counts.js';

/**
 * A fixed-width vector seen through its JS-side copy of the data. `items` is public at runtime but not in
 * the typings; writing it wholesale and flushing once is 1.2x faster than setItem per value (FACTS.md), and
 * the @duckdb/node-api version is pinned exactly, so this reliance is checked by every test run.
 */
export interface WritableVector<T> {
  items: T;
  flush(): void;
}

/** Columns of staging.stg_rating_packed (movie_customer, rank_date_rating); the chunk mirrors them. */
const RATING_COLUMNS = [BIGINT, BIGINT];

/**
 * Appends parsed batches to the staging tables: accepted ratings, probe and qualifying lines as DataChunks
 * of 2,048 rows of two packed BIGINT columns (the typed arrays are copied into the vectors wholesale),
 * rejects row by row (they are rare).
 */
export class StagingLoader {
  readonly rejectsByReason = new Map<string, number>();
  private readonly chunk = DuckDBDataChunk.create(RATING_COLUMNS, CHUNK_ROWS);

  private constructor(
    private readonly ratingAppender: DuckDBAppender,
    private readonly rejectAppender: DuckDBAppender,
    private readonly pairAppenders: Record<PairKind, DuckDBAppender>,
  ) {}

  static async create(connection: DuckDBConnection): Promise<StagingLoader> {
    return new StagingLoader(await connection.createAppender('stg_rating_packed', 'main', 'staging'), await connection.createAppender('stg_reject'), {
      probe: await connection.createAppender('stg_probe'),
      qualifying: await connection.createAppender('stg_qualifying'),
    });
  }

  /** Hot path: whole typed arrays go into the vectors, then one native append per 2,048 rows. */
  appendBatch(batch: RatingBatch): void {
    this.appendPacked(this.ratingAppender, batch);
  }

  /** A batch of probe or qualifying lines (movie_customer, date_line: see PairFileParser). */
  appendPairs(kind: PairKind, batch: RatingBatch): void {
    this.appendPacked(this.pairAppenders[kind], batch);
  }

  private appendPacked(appender: DuckDBAppender, batch: RatingBatch): void {
    const chunk = this.chunk;
    appendInChunks(appender, chunk, batch.length, (start, n) => {
      // BIGINT items written as pairs of 32-bit words: no BigInt per row
      copyWords(chunk.getColumnVector(0) as unknown as WritableVector<BigInt64Array>, batch.movieCustomer, start, n);
      copyWords(chunk.getColumnVector(1) as unknown as WritableVector<BigInt64Array>, batch.rankDateRating, start, n);
    });
  }

  appendRejects(fileId: number, records: RejectRecord[]): void {
    for (const [lineNumber, reason, rawLine] of records) this.appendReject(fileId, lineNumber, reason, rawLine);
  }

  /** Records one rejected line of any input file (rating files and movie titles). */
  appendReject(fileId: number, lineNumber: number, reason: string, rawLine: string): void {
    const appender = this.rejectAppender;
    appender.appendSmallInt(fileId);
    appender.appendBigInt(BigInt(lineNumber));
    appender.appendVarchar(reason);
    appender.appendVarchar(rawLine);
    appender.endRow();
    this.rejectsByReason.set(reason, (this.rejectsByReason.get(reason) ?? 0) + 1);
  }

  close(): void {
    this.ratingAppender.closeSync();
    this.rejectAppender.closeSync();
    this.pairAppenders.probe.closeSync();
    this.pairAppenders.qualifying.closeSync();
  }
}

/**
 * Appends rows [0, length) of typed columns through `chunk`, CHUNK_ROWS at a time: `fill(start, n)` writes
 * rows [start, start + n) into the chunk's vectors, then one native append per chunk.
 */
export function appendInChunks(appender: DuckDBAppender, chunk: DuckDBDataChunk, length: number, fill: (start: number, n: number) => void): void {
  for (let start = 0; start < length; start += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, length - start);
    if (chunk.rowCount !== n) chunk.rowCount = n;
    fill(start, n);
    appender.appendDataChunk(chunk);
  }
}

/** Rows [start, start + n) of int64 column `words` (two 32-bit words per row) into a BIGINT vector, flushed. */
export function copyWords(vector: WritableVector<BigInt64Array>, words: Int32Array, start: number, n: number): void {
  const items = vector.items;
  new Int32Array(items.buffer, items.byteOffset, 2 * n).set(words.subarray(2 * start, 2 * (start + n)));
  vector.flush();
}

/** Rows of int64 columns kept as word pairs (a parse thread's aggregate counts, run-counts.ts) into `table`, a chunk at a time. */
export async function appendCountRows(connection: DuckDBConnection, table: string, parts: CountRows[]): Promise<void> {
  const appender = await connection.createAppender(table);
  const chunk = DuckDBDataChunk.create(parts[0]?.columns.map(() => BIGINT) ?? [], CHUNK_ROWS);
  for (const rows of parts) {
    appendInChunks(appender, chunk, rows.rows, (start, n) => {
      rows.columns.forEach((words, i) => copyWords(chunk.getColumnVector(i) as unknown as WritableVector<BigInt64Array>, words, start, n));
    });
  }
  appender.closeSync();
}
