import type {DuckDBAppender, DuckDBConnection} from '@duckdb/node-api';
import {BIGINT, DuckDBDataChunk, INTEGER, TINYINT} from '../duckdb-api.js';
import {UserError} from '../errors.js';
import {loadSql} from '../sql.js';
import type {InputFile} from './discover.js';
import {copyWords, type WritableVector} from './load.js';
import {CHUNK_ROWS, RatingBatch, RatingFileParser} from './parse.js';
import {readInput} from './read.js';

const LF = 10;

/** Columns of stg_suspect_rating (line_ref, movie_id, customer_id, date_key, rating). */
const SUSPECT_COLUMNS = [BIGINT, INTEGER, INTEGER, INTEGER, TINYINT];

/**
 * Stages the accepted ratings of the suspect movies once more, this time with their line numbers
 * (stg_suspect_rating), for the duplicate rule of 10_duplicates.sql: the parse threads stage no line
 * numbers, which saves the append of a third column for every rating. Only the files that hold a suspect
 * movie are read again, so clean data reads nothing twice. Each file must hash as it did on the first
 * read; a file changed in between is an error, never a silently different result.
 */
export async function stageSuspectRatings(
  connection: DuckDBConnection,
  files: InputFile[],
  parsed: {fileId: number; sha256: string; movies: number[]}[],
  suspects: Set<number>,
): Promise<number> {
  const appender = await connection.createAppender('stg_suspect_rating');
  const chunk = DuckDBDataChunk.create(SUSPECT_COLUMNS, CHUNK_ROWS);
  let staged = 0;
  const append = (batch: RatingBatch): void => {
    // the suspects' rows to the front of the batch, then out in DataChunks
    let n = 0;
    const {lineRef, movieId, customerId, dateKey, rating} = batch;
    for (let row = 0; row < batch.length; row++) {
      if (!suspects.has(movieId[row])) continue;
      lineRef[2 * n] = lineRef[2 * row];
      lineRef[2 * n + 1] = lineRef[2 * row + 1];
      movieId[n] = movieId[row];
      customerId[n] = customerId[row];
      dateKey[n] = dateKey[row];
      rating[n] = rating[row];
      n++;
    }
    for (let start = 0; start < n; start += CHUNK_ROWS) {
      const rows = Math.min(CHUNK_ROWS, n - start);
      chunk.rowCount = rows;
      copyWords(chunk.getColumnVector(0) as unknown as WritableVector<BigInt64Array>, lineRef, start, rows);
      copyValues(chunk.getColumnVector(1) as unknown as WritableVector<Int32Array>, movieId, start, rows);
      copyValues(chunk.getColumnVector(2) as unknown as WritableVector<Int32Array>, customerId, start, rows);
      copyValues(chunk.getColumnVector(3) as unknown as WritableVector<Int32Array>, dateKey, start, rows);
      copyValues(chunk.getColumnVector(4) as unknown as WritableVector<Int8Array>, rating, start, rows);
      appender.appendDataChunk(chunk);
    }
    staged += n;
  };
  try {
    for (const file of parsed) {
      if (!file.movies.some((movieId) => suspects.has(movieId))) continue;
      const parser = new RatingFileParser({ratings: (batch) => (append(batch), batch), reject() {}}, file.fileId);
      const read = await readInput(files[file.fileId], (bytes) => parser.push(bytes));
      parser.end();
      if (read.sha256 !== file.sha256) {
        throw new UserError(`${files[file.fileId].relPath} changed while the transform was reading it; run the transform again once nothing writes to it`);
      }
    }
  } finally {
    appender.closeSync();
  }
  return staged;
}

/** Rows [start, start + n) of a 32- or 8-bit column into an INTEGER or TINYINT vector, flushed. */
function copyValues<T extends Int32Array | Int8Array>(vector: WritableVector<T>, values: T, start: number, n: number): void {
  vector.items.subarray(0, n).set(values.subarray(start, start + n));
  vector.flush();
}

/**
 * Writes a `duplicate` reject for every occurrence the duplicate rule dropped, with the line exactly as
 * read. The losers are known only after the SQL ranking, so the files that hold them are read once more,
 * counting lines and keeping just the wanted ones (clean data has none and reads nothing).
 */
export async function rejectDuplicates(connection: DuckDBConnection, files: InputFile[], appender: DuckDBAppender): Promise<number> {
  const result = await connection.runAndReadAll(loadSql('duckdb', '11_duplicate_lines'));
  const wanted = new Map<number, number[]>();
  for (const [fileId, lineNumber] of result.getRows() as [number, number][]) {
    const lines = wanted.get(fileId) ?? [];
    lines.push(Number(lineNumber));
    wanted.set(fileId, lines);
  }
  let total = 0;
  for (const [fileId, lineNumbers] of wanted) {
    let next = 0;
    let lineNumber = 1;
    let carry: Buffer[] = [];
    const take = (bytes: Buffer): void => {
      let end = bytes.length;
      if (end > 0 && bytes[end - 1] === 13) end--;
      appender.appendSmallInt(fileId);
      appender.appendBigInt(BigInt(lineNumber));
      appender.appendVarchar('duplicate');
      appender.appendVarchar(bytes.toString('latin1', 0, end));
      appender.endRow();
      next++;
      total++;
    };
    await readInput(files[fileId], (chunk) => {
      let start = 0;
      while (next < lineNumbers.length) {
        const lf = chunk.indexOf(LF, start);
        if (lf < 0) break;
        if (lineNumber === lineNumbers[next]) take(Buffer.concat([...carry, chunk.subarray(start, lf)]));
        carry = [];
        lineNumber++;
        start = lf + 1;
      }
      if (next < lineNumbers.length && start < chunk.length && lineNumber === lineNumbers[next]) carry.push(Buffer.from(chunk.subarray(start)));
    });
    if (next < lineNumbers.length && lineNumber === lineNumbers[next]) take(Buffer.concat(carry));
  }
  return total;
}
