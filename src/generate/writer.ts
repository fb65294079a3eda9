import {DAY_COUNT, dayToIso} from './dates.js';
import {RATING_DAY_CODES, type MovieBlock} from './sampler.js';
import {ByteSink} from './sink.js';

/** What a written line is, for the line accounting of expected.json. */
export type LineKind = 'header' | 'rating' | 'blank' | 'rejected';

/** Lines of one rating file by kind; `rating` counts valid rating lines, duplicates included. */
export interface LineCounts {
  lines: number;
  blank: number;
  headers: number;
  ratings: number;
  rejected: number;
}

/** Longest rating line: a 7-digit customer id, `,r,`, a 10-byte date and LF. */
const MAX_RATING_LINE = 21;
/** Bytes per customer and per rating-day code in the precomputed tables (written as 32-bit words). */
const CUSTOMER_STRIDE = 4;
const TAIL_WORDS = 4;

/**
 * Writes rating files in the exact Netflix Prize text format. The rows of a block are the hot path:
 * customer ids and `,<rating>,<date>\n` tails are precomputed as byte words and stored with 32-bit
 * writes straight into the output buffer, never built as strings.
 */
export class RatingFileWriter {
  private readonly sink = new ByteSink();
  /** Per customer index: its id's ASCII digits as two little-endian words, then the digit count. */
  private readonly customerDigits: Uint32Array;
  /** Per rating-day code: `,<rating>,<YYYY-MM-DD>\n` (14 bytes) as four little-endian words. */
  private readonly tails: Uint32Array;
  counts: LineCounts = emptyCounts();

  constructor(customerIds: Uint32Array) {
    this.customerDigits = new Uint32Array(customerIds.length * CUSTOMER_STRIDE);
    const digits = new Uint8Array(8);
    const words = new DataView(digits.buffer);
    customerIds.forEach((id, c) => {
      const text = String(id);
      digits.fill(0);
      for (let i = 0; i < text.length; i++) digits[i] = text.charCodeAt(i);
      this.customerDigits[c * CUSTOMER_STRIDE] = words.getUint32(0, true);
      this.customerDigits[c * CUSTOMER_STRIDE + 1] = words.getUint32(4, true);
      this.customerDigits[c * CUSTOMER_STRIDE + 2] = text.length;
    });
    this.tails = new Uint32Array(RATING_DAY_CODES * TAIL_WORDS);
    const tail = new Uint8Array(16);
    const tailWords = new DataView(tail.buffer);
    for (let code = 0; code < RATING_DAY_CODES; code++) {
      const text = `,${Math.floor(code / DAY_COUNT) + 1},${dayToIso(code % DAY_COUNT)}\n`;
      for (let i = 0; i < text.length; i++) tail[i] = text.charCodeAt(i);
      for (let w = 0; w < TAIL_WORDS; w++) this.tails[code * TAIL_WORDS + w] = tailWords.getUint32(4 * w, true);
    }
  }

  /** Number of the last line written (1-based); the next line is `line + 1`. */
  get line(): number {
    return this.counts.lines;
  }

  async open(path: string, gzip: boolean): Promise<void> {
    await this.sink.open(path, gzip);
    this.counts = emptyCounts();
  }

  /** `<movieId>:` and LF. */
  async header(movieId: number): Promise<number> {
    return this.text(`${movieId}:`, 'header');
  }

  /** Writes one line of Latin-1 text (it must not contain LF) and its end of line; returns its line number. */
  async text(body: string, kind: LineKind, eol = '\n'): Promise<number> {
    const line = body + eol;
    await this.sink.reserve(line.length);
    const {bytes} = this.sink;
    let pos = this.sink.pos;
    for (let i = 0; i < line.length; i++) bytes[pos++] = line.charCodeAt(i);
    this.sink.pos = pos;
    this.counts.lines++;
    if (kind === 'header') this.counts.headers++;
    else if (kind === 'rating') this.counts.ratings++;
    else if (kind === 'blank') this.counts.blank++;
    else this.counts.rejected++;
    return this.counts.lines;
  }

  /** Hot path: rows [from, to) of a block as `<customer>,<rating>,<date>\n`, with 32-bit stores and no strings. */
  async rows(block: MovieBlock, from: number, to: number): Promise<void> {
    const {customerDigits, tails, sink} = this;
    const {customers, ratingDay} = block;
    let row = from;
    while (row < to) {
      let fit = Math.floor(sink.room() / MAX_RATING_LINE);
      if (fit === 0) {
        await sink.flush();
        fit = Math.floor(sink.room() / MAX_RATING_LINE);
      }
      const end = Math.min(to, row + fit);
      const view = sink.view;
      let pos = sink.pos;
      for (; row < end; row++) {
        const c = customers[row] * CUSTOMER_STRIDE;
        view.setUint32(pos, customerDigits[c], true);
        view.setUint32(pos + 4, customerDigits[c + 1], true);
        pos += customerDigits[c + 2];
        const t = ratingDay[row] * TAIL_WORDS;
        view.setUint32(pos, tails[t], true);
        view.setUint32(pos + 4, tails[t + 1], true);
        view.setUint32(pos + 8, tails[t + 2], true);
        view.setUint32(pos + 12, tails[t + 3], true);
        pos += 14;
      }
      sink.pos = pos;
    }
    this.counts.lines += to - from;
    this.counts.ratings += to - from;
  }

  /** Ends the file (closed in the background, see `drain`); returns its uncompressed size in bytes. */
  async close(trailingNewline = true): Promise<number> {
    if (!trailingNewline) this.sink.dropTrailingNewline();
    await this.sink.close();
    return this.sink.written;
  }

  /** After a failure: closes the open file without writing the rest (so it can be removed and its space freed). */
  abandon(): Promise<void> {
    return this.sink.abandon();
  }

  /** Waits until every file is completely written and closed. */
  drain(): Promise<void> {
    return this.sink.drain();
  }
}

function emptyCounts(): LineCounts {
  return {lines: 0, blank: 0, headers: 0, ratings: 0, rejected: 0};
}
