import {
  DATE,
  DuckDBDataChunk,
  INTEGER,
  TINYINT,
  type DuckDBAppender,
  type DuckDBConnection,
} from '@duckdb/node-api';
import {BATCH_ROWS, type RatingBatch, type RatingSink} from './parse.js';
import type {RatingRejectReason} from './reasons.js';
import {DuplicateSuspects} from './suspects.js';

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
const RATING_COLUMNS = [INTEGER, INTEGER, INTEGER, TINYINT, DATE];

/**
 * Appends parsed batches to the staging tables: accepted ratings as DataChunks (one batch, one chunk;
 * the typed arrays are copied into the vectors wholesale), rejects row by row (they are rare).
 */
export class StagingLoader {
  readonly suspects = new DuplicateSuspects();
  private readonly chunk = DuckDBDataChunk.create(RATING_COLUMNS, BATCH_ROWS);
  private fileId = 0;
  rejectsByReason = new Map<string, number>();

  private constructor(
    private readonly ratingAppender: DuckDBAppender,
    private readonly rejectAppender: DuckDBAppender,
  ) {}

  static async create(connection: DuckDBConnection): Promise<StagingLoader> {
    return new StagingLoader(await connection.createAppender('stg_rating'), await connection.createAppender('stg_reject'));
  }

  /** A sink for the parser of one file. */
  sinkFor(fileId: number): RatingSink {
    this.fileId = fileId;
    return {
      ratings: (batch) => this.appendRatings(batch),
      reject: (lineNumber, reason, rawLine) => this.appendReject(lineNumber, reason, rawLine),
    };
  }

  /** Hot path: whole typed arrays go into the vectors, then one native append per 2,048 rows. */
  private appendRatings(batch: RatingBatch): void {
    const n = batch.length;
    this.suspects.observe(this.fileId, batch.movieId, batch.customerId, n);
    const chunk = this.chunk;
    if (chunk.rowCount !== n) chunk.rowCount = n;
    const full = n === BATCH_ROWS;
    const lineVector = chunk.getColumnVector(0) as unknown as WritableVector<Int32Array>;
    const movieVector = chunk.getColumnVector(1) as unknown as WritableVector<Int32Array>;
    const customerVector = chunk.getColumnVector(2) as unknown as WritableVector<Int32Array>;
    const ratingVector = chunk.getColumnVector(3) as unknown as WritableVector<Int8Array>;
    const dateVector = chunk.getColumnVector(4) as unknown as WritableVector<Int32Array>;
    lineVector.items.set(full ? batch.lineSeq : batch.lineSeq.subarray(0, n));
    movieVector.items.set(full ? batch.movieId : batch.movieId.subarray(0, n));
    customerVector.items.set(full ? batch.customerId : batch.customerId.subarray(0, n));
    ratingVector.items.set(full ? batch.rating : batch.rating.subarray(0, n));
    dateVector.items.set(full ? batch.ratingDate : batch.ratingDate.subarray(0, n));
    lineVector.flush();
    movieVector.flush();
    customerVector.flush();
    ratingVector.flush();
    dateVector.flush();
    this.ratingAppender.appendDataChunk(chunk);
  }

  private appendReject(lineNumber: number, reason: RatingRejectReason | string, rawLine: string): void {
    const appender = this.rejectAppender;
    appender.appendSmallInt(this.fileId);
    appender.appendBigInt(BigInt(lineNumber));
    appender.appendVarchar(reason);
    appender.appendVarchar(rawLine);
    appender.endRow();
    this.rejectsByReason.set(reason, (this.rejectsByReason.get(reason) ?? 0) + 1);
  }

  /** Records a rejected line of a non-rating file (movie titles). */
  rejectOther(fileId: number, lineNumber: number, reason: string, rawLine: string): void {
    const previous = this.fileId;
    this.fileId = fileId;
    this.appendReject(lineNumber, reason, rawLine);
    this.fileId = previous;
  }

  close(): void {
    this.ratingAppender.closeSync();
    this.rejectAppender.closeSync();
  }
}
