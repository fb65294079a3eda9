import {DATE_DRAW_BITS, DAY_COUNT, dateDrawTable} from './dates.js';
import {Random, STREAM} from './random.js';
import {RATING_DRAW_BITS, ratingDrawTables, type DataSetShape} from './shape.js';

/**
 * The ratings of one movie block, as drawn: row `r` is customer index `customers[r]` giving the rating
 * and date of `ratingDay[r]`. Views into reusable arrays, valid until the next block is drawn.
 */
export interface MovieBlock {
  movieId: number;
  count: number;
  customers: Uint32Array;
  ratingDay: Uint16Array;
}

/** `(rating - 1) * DAY_COUNT + day`: the rating and date of one row, in one small integer. */
export const RATING_DAY_CODES = 5 * DAY_COUNT;
export function ratingDayCode(rating: number, day: number): number {
  return (rating - 1) * DAY_COUNT + day;
}
export function codeRating(code: number): number {
  return Math.floor(code / DAY_COUNT) + 1;
}
export function codeDay(code: number): number {
  return code % DAY_COUNT;
}

/** How many weighted draws a block may spend per rating before it falls back to a scan (dense blocks only). */
const DRAWS_PER_RATING = 8;

/**
 * Draws movie blocks in movie id order from one random stream, so every layout writes the same ratings.
 * A movie's customers are distinct: a stamp per customer (the movie id) marks who already rated it, so
 * memory is O(customers), never O(ratings).
 */
export class BlockSampler {
  private readonly random: Random;
  private readonly seen: Uint32Array;
  private readonly customers: Uint32Array;
  private readonly ratingDay: Uint16Array;
  private readonly dateTable = dateDrawTable();
  private readonly ratingTables = ratingDrawTables();
  private coverageCursor = 0;
  private ratingsBefore = 0;
  private readonly totalRatings: number;
  /** How many rows were drawn with each rating-day code: sum, min and max date come from it. */
  readonly codeCounts = new Float64Array(RATING_DAY_CODES);

  constructor(
    private readonly shape: DataSetShape,
    seed: number,
  ) {
    this.random = new Random(seed, STREAM.ratings);
    const customerCount = shape.customerIds.length;
    this.seen = new Uint32Array(customerCount);
    let largest = 0;
    let total = 0;
    for (const n of shape.movieRatings) {
      largest = Math.max(largest, n);
      total += n;
    }
    this.totalRatings = total;
    this.customers = new Uint32Array(largest);
    this.ratingDay = new Uint16Array(largest);
  }

  /** Draws the block of `movieId`; blocks must be drawn in ascending movie id order, each once. */
  draw(movieId: number): MovieBlock {
    const count = this.shape.movieRatings[movieId - 1];
    this.drawCustomers(movieId, count);
    this.drawRatingDays(movieId, count);
    return {movieId, count, customers: this.customers, ratingDay: this.ratingDay};
  }

  /** Whether customer index `c` rated `movieId`: valid for the block drawn last, until the next draw. */
  rated(c: number, movieId: number): boolean {
    return this.seen[c] === movieId;
  }

  private drawCustomers(movieId: number, count: number): void {
    const {seen, customers, random} = this;
    const customerCount = seen.length;
    const alias = this.shape.customerAlias;
    // this movie's share of the not-yet-covered customers, so that every customer rates at least once
    const before = Math.floor((this.ratingsBefore * customerCount) / this.totalRatings);
    this.ratingsBefore += count;
    const after = Math.floor((this.ratingsBefore * customerCount) / this.totalRatings);
    const covered = after - before;
    let filled = 0;
    for (let k = 0; k < covered; k++) {
      const c = this.shape.coverageOrder[this.coverageCursor++];
      seen[c] = movieId;
      customers[filled++] = c;
    }
    const scale = customerCount / 4294967296;
    let budget = DRAWS_PER_RATING * (count - filled) + 64;
    while (filled < count && budget-- > 0) {
      const x = random.nextU32() * scale;
      let c = Math.floor(x);
      if (x - c >= alias[2 * c]) c = alias[2 * c + 1];
      if (seen[c] === movieId) continue;
      seen[c] = movieId;
      customers[filled++] = c;
    }
    // a block covering most customers: take the rest in index order from a random start
    for (let c = random.below(customerCount); filled < count; c = c + 1 === customerCount ? 0 : c + 1) {
      if (seen[c] === movieId) continue;
      seen[c] = movieId;
      customers[filled++] = c;
    }
    // the covering customers were put first: move them to random places in the block
    for (let k = 0; k < covered; k++) {
      const j = k + random.below(count - k);
      const t = customers[k];
      customers[k] = customers[j];
      customers[j] = t;
    }
  }

  private drawRatingDays(movieId: number, count: number): void {
    const {ratingDay, dateTable, ratingTables, codeCounts, random} = this;
    const tierBase = this.shape.movieTier[movieId - 1] << RATING_DRAW_BITS;
    const dateMask = (1 << DATE_DRAW_BITS) - 1;
    for (let r = 0; r < count; r++) {
      const bits = random.nextU32();
      const code = (ratingTables[tierBase + (bits >>> (32 - RATING_DRAW_BITS))] - 1) * DAY_COUNT + dateTable[bits & dateMask];
      ratingDay[r] = code;
      codeCounts[code]++;
    }
  }
}
