import {BIGINT, DATE, DuckDBDataChunk, INTEGER, TINYINT, type DuckDBAppender, type DuckDBConnection} from '@duckdb/node-api';
import {CHUNK_ROWS, type RatingBatch} from './parse.js';
import type {RejectRecord} from './parse-file.js';

/**
 * A fixed-width vector seen through its JS-side copy of the data. `items` is public at runtime but not in
 * the typings; writing it wholesale and flushing once is 1.2x faster than setItem per value (FACTS.md), and
 * the @duckdb/node-api version is pinned exactly, so this reliance is checked by every test run.
 */
interface WritableVector<T> {
  items: T;
  flush(): void;
}

/** Column order of stg_rating; the chunk mirrors it. */
const RATING_COLUMNS = [BIGINT, INTEGER, INTEGER, INTEGER, TINYINT, DATE];

/**
 * Appends parsed batches to the staging tables: accepted ratings as DataChunks of 2,048 rows (the typed
 * arrays are copied into the vectors wholesale), rejects row by row (they are rare).
 */
export class StagingLoader {
  readonly rejectsByReason = new Map<string, number>();
  private readonly chunk = DuckDBDataChunk.create(RATING_COLUMNS, CHUNK_ROWS);

  private constructor(
    private readonly ratingAppender: DuckDBAppender,
    private readonly rejectAppender: DuckDBAppender,
  ) {}

  static async create(connection: DuckDBConnection): Promise<StagingLoader> {
    return new StagingLoader(await connection.createAppender('stg_rating', 'main', 'staging'), await connection.createAppender('stg_reject'));
  }

  /** Hot path: whole typed arrays go into the vectors, then one native append per 2,048 rows. */
  appendBatch(batch: RatingBatch): void {
    const chunk = this.chunk;
    for (let start = 0; start < batch.length; start += CHUNK_ROWS) {
      const n = Math.min(CHUNK_ROWS, batch.length - start);
      const end = start + n;
      if (chunk.rowCount !== n) chunk.rowCount = n;
      const lineRefVector = chunk.getColumnVector(0) as unknown as WritableVector<BigInt64Array>;
      const movieVector = chunk.getColumnVector(1) as unknown as WritableVector<Int32Array>;
      const customerVector = chunk.getColumnVector(2) as unknown as WritableVector<Int32Array>;
      const rankVector = chunk.getColumnVector(3) as unknown as WritableVector<Int32Array>;
      const ratingVector = chunk.getColumnVector(4) as unknown as WritableVector<Int8Array>;
      const dateVector = chunk.getColumnVector(5) as unknown as WritableVector<Int32Array>;
      // BIGINT items written as pairs of 32-bit words: no BigInt per row
      const lineRefWords = lineRefVector.items;
      new Int32Array(lineRefWords.buffer, lineRefWords.byteOffset, 2 * n).set(batch.lineRef.subarray(2 * start, 2 * end));
      movieVector.items.set(batch.movieId.subarray(start, end));
      customerVector.items.set(batch.customerId.subarray(start, end));
      rankVector.items.set(batch.movieRank.subarray(start, end));
      ratingVector.items.set(batch.rating.subarray(start, end));
      dateVector.items.set(batch.ratingDate.subarray(start, end));
      lineRefVector.flush();
      movieVector.flush();
      customerVector.flush();
      rankVector.flush();
      ratingVector.flush();
      dateVector.flush();
      this.ratingAppender.appendDataChunk(chunk);
    }
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
  }
}
