import {calendarDays, parseIsoDate} from './calendar.js';
import {BATCH_ROWS, BlockFileParser, positiveInt32, RatingBatch, type RatingSink} from './parse.js';
import type {RatingRejectReason} from '../reasons.js';

/** The two files of (movie, customer) pairs that share the rating files' block layout (SPEC 1.4). */
export type PairKind = 'probe' | 'qualifying';

const MAX_INT32 = 2147483647;
const LF = 10;
const CR = 13;
const COMMA = 44;
const COLON = 58;
const DASH = 45;
const ZERO = 48;
const NINE = 57;

/**
 * Streaming byte-level parser of probe.txt (`<customer_id>` under a header) or qualifying.txt
 * (`<customer_id>,<YYYY-MM-DD>`). Accepted lines fill RatingBatch's two packed columns directly, ready to
 * append as stg_probe / stg_qualifying rows (sql/duckdb/01_staging.sql):
 *   movie_customer = movie_id * 2^31 + customer_id
 *   date_line      = date_key * 2^32 + line_number   (date_key 0 for probe lines)
 * The hot path reads canonical lines from the bytes with no strings; the slow path applies every rule.
 */
export class PairFileParser extends BlockFileParser {
  private batch: RatingBatch;
  private readonly dated: boolean;

  constructor(
    readonly kind: PairKind,
    private readonly sink: RatingSink,
    batch: RatingBatch = new RatingBatch(),
  ) {
    super();
    this.dated = kind === 'qualifying';
    this.batch = batch;
  }

  protected flush(): void {
    if (this.batch.length > 0) {
      this.batch = this.sink.ratings(this.batch);
      this.batch.length = 0;
    }
  }

  protected rejectLine(lineNumber: number, reason: RatingRejectReason, raw: string): void {
    this.counts.rejected++;
    this.sink.reject(lineNumber, reason, raw);
  }

  private accept(customerId: number, dateKey: number, lineNumber: number): void {
    const batch = this.batch;
    const row = batch.length;
    const movieId = this.movieId;
    batch.movieCustomer[2 * row] = customerId | (movieId << 31);
    batch.movieCustomer[2 * row + 1] = movieId >>> 1;
    batch.rankDateRating[2 * row] = lineNumber;
    batch.rankDateRating[2 * row + 1] = dateKey;
    batch.length = row + 1;
    this.counts.accepted++;
    if (row + 1 === BATCH_ROWS) this.flush();
  }

  /** Hot path: plain indexing over the bytes, no allocation. */
  protected parseRegion(buf: Buffer, from: number, to: number): void {
    const dated = this.dated;
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
          if (c === COLON) {
            let end = p + 1;
            if (buf[end] === CR) end++;
            if (buf[end] === LF) {
              this.movieId = value;
              this.counts.headers++;
              p = end + 1;
              continue;
            }
          } else if (this.movieId !== 0) {
            if (!dated) {
              let end = p;
              if (buf[end] === CR) end++;
              if (buf[end] === LF) {
                this.accept(value, 0, lines);
                p = end + 1;
                continue;
              }
            } else if (c === COMMA && buf[p + 5] === DASH && buf[p + 8] === DASH) {
              const y0 = buf[p + 1] - ZERO;
              const y1 = buf[p + 2] - ZERO;
              const y2 = buf[p + 3] - ZERO;
              const y3 = buf[p + 4] - ZERO;
              const m0 = buf[p + 6] - ZERO;
              const m1 = buf[p + 7] - ZERO;
              const d0 = buf[p + 9] - ZERO;
              const d1 = buf[p + 10] - ZERO;
              // a byte below '0' makes its difference negative, so `>>> 0` turns it into a huge number
              if (((y0 | y1 | y2 | y3 | m0 | m1 | d0 | d1) >>> 0) <= 15 && y0 <= 9 && y1 <= 9 && y2 <= 9 && y3 <= 9 && m0 <= 9 && m1 <= 9 && d0 <= 9 && d1 <= 9) {
                let end = p + 11;
                if (buf[end] === CR) end++;
                if (buf[end] === LF) {
                  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
                  const month = m0 * 10 + m1;
                  const day = d0 * 10 + d1;
                  const days = calendarDays(year, month, day);
                  if (days === days) {
                    this.accept(value, year * 10000 + month * 100 + day, lines);
                    p = end + 1;
                    continue;
                  }
                }
              }
            }
          }
        }
      }
      // slow path: any line that is not canonical
      const lf = buf.indexOf(LF, lineStart);
      this.counts.lines = lines;
      this.slowLine(buf, lineStart, lf);
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
    if (fields.length !== (this.dated ? 2 : 1)) return this.rejectLine(lineNumber, 'malformed_line', raw);
    const customerId = positiveInt32(fields[0]);
    if (customerId !== customerId) return this.rejectLine(lineNumber, 'bad_customer_id', raw);
    if (!this.dated) return this.accept(customerId, 0, lineNumber);
    const date = fields[1];
    if (Number.isNaN(parseIsoDate(date))) return this.rejectLine(lineNumber, 'bad_date', raw);
    this.accept(customerId, Number(date.slice(0, 4) + date.slice(5, 7) + date.slice(8, 10)), lineNumber);
  }
}
