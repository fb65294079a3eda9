import {UserError} from '../errors.js';
import {calendarDays, parseIsoDate} from './calendar.js';
import type {RatingRejectReason} from '../reasons.js';

/** DuckDB's vector size: the rows of one DataChunk. */
export const CHUNK_ROWS = 2048;
/** Rows per batch: 32 chunks, so a batch crosses between threads about 150 times per 10M ratings. */
export const BATCH_ROWS = 32 * CHUNK_ROWS;
const MAX_LINES_PER_FILE = 0xffffffff;

const MAX_INT32 = 2147483647;
const LF = 10;
const CR = 13;
const COMMA = 44;
const COLON = 58;
const DASH = 45;
const ZERO = 48;
const NINE = 57;

/**
 * Accepted rating lines as typed columns over one ArrayBuffer, so a batch moves between threads without
 * a copy; `length` rows are valid. `lineRef` holds [2i] the line number in its file, [2i + 1] the file's
 * id, as the parser read them (the duplicate rule's second read of the suspects uses them). `dateKey` is the
 * rating date as YYYYMMDD. `movieCustomer` and `rankDateRating` are the two staged columns, int64 words
 * (pairs of 32-bit words, no BigInt) that RunRanker fills once a run is ranked:
 *   movie_customer   = movie_id * 2^31 + customer_id
 *   rank_date_rating = movie_rank * 2^31 + date_key * 16 + is_probe * 8 + rating
 * Ids and ranks are below 2^31 and date keys below 2^27, so neither sum overflows or loses a bit (see
 * sql/duckdb/01_staging.sql). DuckDB's appender costs about the same per value whatever the width, so two
 * int64 columns append in a third of the time of the six narrow ones they replace.
 */
export class RatingBatch {
  static readonly BYTES = BATCH_ROWS * (8 + 4 + 4 + 4 + 8 + 8 + 1);
  readonly lineRef: Int32Array;
  readonly movieId: Int32Array;
  readonly customerId: Int32Array;
  readonly dateKey: Int32Array;
  readonly movieCustomer: Int32Array;
  readonly rankDateRating: Int32Array;
  readonly rating: Int8Array;
  length = 0;

  constructor(readonly buffer: ArrayBuffer = new ArrayBuffer(RatingBatch.BYTES)) {
    this.lineRef = new Int32Array(buffer, 0, 2 * BATCH_ROWS);
    this.movieId = new Int32Array(buffer, 8 * BATCH_ROWS, BATCH_ROWS);
    this.customerId = new Int32Array(buffer, 12 * BATCH_ROWS, BATCH_ROWS);
    this.dateKey = new Int32Array(buffer, 16 * BATCH_ROWS, BATCH_ROWS);
    this.movieCustomer = new Int32Array(buffer, 20 * BATCH_ROWS, 2 * BATCH_ROWS);
    this.rankDateRating = new Int32Array(buffer, 28 * BATCH_ROWS, 2 * BATCH_ROWS);
    this.rating = new Int8Array(buffer, 36 * BATCH_ROWS, BATCH_ROWS);
  }
}

/** Where the parser puts what it reads: full batches of accepted ratings, and rejected lines. */
export interface RatingSink {
  /** Takes a filled batch; returns an empty one for the parser to fill next. */
  ratings(batch: RatingBatch): RatingBatch;
  reject(lineNumber: number, reason: RatingRejectReason, rawLine: string): void;
}

/** Per-file line accounting: headers + accepted + rejected = lines - blankLines. */
export interface LineCounts {
  lines: number;
  blankLines: number;
  headers: number;
  accepted: number;
  rejected: number;
}

function isSpace(byte: number): boolean {
  return byte === 32 || byte === 9;
}

export function positiveInt32(text: string): number {
  if (!/^\d+$/.test(text)) return NaN;
  const value = Number(text);
  return value >= 1 && value <= MAX_INT32 ? value : NaN;
}

/**
 * What every block-layout file (ratings, probe, qualifying) shares: chunks cut into lines (a line may
 * straddle two chunks, the last may lack its newline), line numbers, blank lines, movie headers and the
 * header rejects. Subclasses read the lines under a header: a hot path over whole regions of LF-terminated
 * lines, and `slowLine` for any line the hot path does not take. Each file starts with no movie block open.
 */
export abstract class BlockFileParser {
  readonly counts: LineCounts = {lines: 0, blankLines: 0, headers: 0, accepted: 0, rejected: 0};
  /**
   * Every movie header read, as flat triples (movie id, byte offset of the header line, its line number): where
   * each movie block starts, so a block can be read again on its own (src/transforms/movie-blocks.ts).
   */
  readonly blocks: number[] = [];
  protected movieId = 0;
  /** The byte offset in the file of `buf[0]` of the region being read. */
  protected regionOffset = 0;
  private carry: Buffer | null = null;
  /** Bytes pushed so far. */
  private pushed = 0;

  /** @param firstLine the number of the first line pushed, when the bytes start inside a file (a movie block read again) */
  constructor(firstLine = 1, firstOffset = 0) {
    this.counts.lines = firstLine - 1;
    this.pushed = firstOffset;
  }

  push(chunk: Buffer): void {
    let start = 0;
    const chunkOffset = this.pushed;
    this.pushed += chunk.length;
    if (this.carry !== null) {
      const firstLf = chunk.indexOf(LF);
      if (firstLf < 0) {
        this.carry = Buffer.concat([this.carry, chunk]);
        return;
      }
      // the line that straddles two chunks: glue it and read it on its own
      const line = Buffer.concat([this.carry, chunk.subarray(0, firstLf + 1)]);
      this.regionOffset = chunkOffset - this.carry.length;
      this.carry = null;
      this.parseRegion(line, 0, line.length);
      start = firstLf + 1;
    }
    const lastLf = chunk.lastIndexOf(LF);
    if (lastLf < start) {
      this.carry = Buffer.from(chunk.subarray(start));
      return;
    }
    this.regionOffset = chunkOffset;
    this.parseRegion(chunk, start, lastLf + 1);
    if (lastLf + 1 < chunk.length) this.carry = Buffer.from(chunk.subarray(lastLf + 1));
  }

  /** Reads the last line when the file does not end in a newline, and flushes what is pending. */
  end(): LineCounts {
    if (this.carry !== null && this.carry.length > 0) {
      this.counts.lines++;
      this.regionOffset = this.pushed - this.carry.length;
      this.slowLine(this.carry, 0, this.carry.length);
    }
    this.carry = null;
    this.flush();
    return this.counts;
  }

  /** Every line in [from, to) ends with LF; counts.lines is the number of the line before `from`. */
  protected abstract parseRegion(buf: Buffer, from: number, to: number): void;
  /** Applies every rule of the contract to the line in [start, end) (end excludes the LF); counts.lines is its number. */
  protected abstract slowLine(buf: Buffer, start: number, end: number): void;
  protected abstract flush(): void;
  protected abstract rejectLine(lineNumber: number, reason: RatingRejectReason, raw: string): void;

  /**
   * The slow path's common rules, in the contract's order: blank line, movie header (`bad_movie_header`),
   * `no_movie_header`. Returns the trimmed line and its raw text when a line under a header is left to read.
   */
  protected blockLine(buf: Buffer, start: number, end: number): {line: string; raw: string; lineNumber: number} | null {
    let stop = end;
    if (stop > start && buf[stop - 1] === CR) stop--;
    const raw = buf.toString('latin1', start, stop);
    let s = start;
    let e = stop;
    while (s < e && isSpace(buf[s])) s++;
    while (e > s && isSpace(buf[e - 1])) e--;
    if (s === e) {
      this.counts.blankLines++;
      return null;
    }
    const line = buf.toString('latin1', s, e);
    const lineNumber = this.counts.lines;
    if (line.endsWith(':')) {
      const movieId = positiveInt32(line.slice(0, -1));
      if (movieId === movieId) {
        this.movieId = movieId;
        this.counts.headers++;
        this.blocks.push(movieId, this.regionOffset + start, lineNumber);
      } else {
        this.movieId = 0;
        this.rejectLine(lineNumber, 'bad_movie_header', raw);
      }
      return null;
    }
    if (this.movieId === 0) {
      this.rejectLine(lineNumber, 'no_movie_header', raw);
      return null;
    }
    return {line, raw, lineNumber};
  }

  protected checkLineCount(lines: number): void {
    if (lines > MAX_LINES_PER_FILE) throw new UserError(`an input file holds more than ${MAX_LINES_PER_FILE} lines; split it`);
  }
}

/**
 * Streaming byte-level parser of one rating file (both layouts share the grammar). Feed it chunks in
 * order with `push`, then call `end`.
 *
 * The hot path reads canonical lines (`123:` and `123,4,2005-09-06`, LF or CRLF) straight from the bytes
 * into typed arrays with no strings; any other line takes the slow path, which decodes it and applies
 * every rule of the contract in order. Both paths agree on every line the fast path accepts.
 */
export class RatingFileParser extends BlockFileParser {
  private batch: RatingBatch;

  /**
   * @param fileId the file's position in sorted path order; with the line number it orders occurrences.
   * @param firstLine, firstOffset where the bytes pushed start in the file (a movie block read again)
   */
  constructor(
    private readonly sink: RatingSink,
    private readonly fileId: number,
    batch: RatingBatch = new RatingBatch(),
    firstLine = 1,
    firstOffset = 0,
  ) {
    super(firstLine, firstOffset);
    this.batch = batch;
  }

  protected flush(): void {
    if (this.batch.length > 0) {
      this.batch = this.sink.ratings(this.batch);
      this.batch.length = 0;
    }
  }

  /** Hot path: every line in [from, to) ends with LF. Bytes are read with plain indexing, no allocation. */
  protected parseRegion(buf: Buffer, from: number, to: number): void {
    let batch = this.batch;
    const fileId = this.fileId;
    let p = from;
    let lines = this.counts.lines;
    while (p < to) {
      const lineStart = p;
      lines++;
      let c = buf[p];
      if (c >= ZERO && c <= NINE) {
        let value = 0;
        let digits = 0;
        while (c >= ZERO && c <= NINE && digits < 11) {
          value = value * 10 + (c - ZERO);
          digits++;
          c = buf[++p];
        }
        if (value >= 1 && value <= MAX_INT32) {
          if (c === COMMA && this.movieId !== 0) {
            const r = buf[p + 1] - ZERO;
            if (r >= 1 && r <= 5 && buf[p + 2] === COMMA && buf[p + 7] === DASH && buf[p + 10] === DASH) {
              const y0 = buf[p + 3] - ZERO;
              const y1 = buf[p + 4] - ZERO;
              const y2 = buf[p + 5] - ZERO;
              const y3 = buf[p + 6] - ZERO;
              const m0 = buf[p + 8] - ZERO;
              const m1 = buf[p + 9] - ZERO;
              const d0 = buf[p + 11] - ZERO;
              const d1 = buf[p + 12] - ZERO;
              // a byte below '0' makes its difference negative, so `>>> 0` turns it into a huge number
              if (((y0 | y1 | y2 | y3 | m0 | m1 | d0 | d1) >>> 0) <= 15 && y0 <= 9 && y1 <= 9 && y2 <= 9 && y3 <= 9 && m0 <= 9 && m1 <= 9 && d0 <= 9 && d1 <= 9) {
                let end = p + 13;
                if (buf[end] === CR) end++;
                if (buf[end] === LF) {
                  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
                  const month = m0 * 10 + m1;
                  const day = d0 * 10 + d1;
                  const days = calendarDays(year, month, day);
                  if (days === days) {
                    const row = batch.length;
                    batch.movieId[row] = this.movieId;
                    batch.customerId[row] = value;
                    batch.rating[row] = r;
                    batch.dateKey[row] = year * 10000 + month * 100 + day;
                    batch.lineRef[2 * row] = lines;
                    batch.lineRef[2 * row + 1] = fileId;
                    batch.length = row + 1;
                    this.counts.accepted++;
                    if (row + 1 === BATCH_ROWS) {
                      this.flush();
                      batch = this.batch;
                    }
                    p = end + 1;
                    continue;
                  }
                }
              }
            }
          } else if (c === COLON) {
            let end = p + 1;
            if (buf[end] === CR) end++;
            if (buf[end] === LF) {
              this.movieId = value;
              this.counts.headers++;
              this.blocks.push(value, this.regionOffset + lineStart, lines);
              p = end + 1;
              continue;
            }
          }
        }
      }
      // slow path: any line that is not canonical
      const lf = buf.indexOf(LF, lineStart);
      this.counts.lines = lines;
      this.slowLine(buf, lineStart, lf);
      batch = this.batch;
      p = lf + 1;
    }
    this.counts.lines = lines;
    this.checkLineCount(lines);
  }

  protected slowLine(buf: Buffer, start: number, end: number): void {
    const read = this.blockLine(buf, start, end);
    if (read === null) return;
    const {line, raw, lineNumber} = read;
    const fields = line.split(',');
    if (fields.length !== 3) return this.rejectLine(lineNumber, 'malformed_line', raw);
    const customerId = positiveInt32(fields[0]);
    if (customerId !== customerId) return this.rejectLine(lineNumber, 'bad_customer_id', raw);
    if (!/^[1-5]$/.test(fields[1])) return this.rejectLine(lineNumber, 'bad_rating', raw);
    const date = fields[2];
    const days = parseIsoDate(date);
    if (days !== days) return this.rejectLine(lineNumber, 'bad_date', raw);
    const dateKey = Number(date.slice(0, 4) + date.slice(5, 7) + date.slice(8, 10)); // YYYY-MM-DD -> YYYYMMDD
    const batch = this.batch;
    const row = batch.length;
    batch.movieId[row] = this.movieId;
    batch.customerId[row] = customerId;
    batch.rating[row] = Number(fields[1]);
    batch.dateKey[row] = dateKey;
    batch.lineRef[2 * row] = lineNumber;
    batch.lineRef[2 * row + 1] = this.fileId;
    batch.length = row + 1;
    this.counts.accepted++;
    if (row + 1 === BATCH_ROWS) this.flush();
  }

  protected rejectLine(lineNumber: number, reason: RatingRejectReason, raw: string): void {
    this.counts.rejected++;
    this.sink.reject(lineNumber, reason, raw);
  }
}
