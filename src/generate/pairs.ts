import {DAY_COUNT} from './dates.js';
import {Random, STREAM} from './random.js';
import {codeDay, type BlockSampler, type MovieBlock} from './sampler.js';

/** Shares of the ratings in the real probe.txt (1,408,395 of 100,480,507) and qualifying.txt (2,817,131). */
export const PROBE_SHARE = 0.014;
export const QUALIFYING_SHARE = 0.028;
/** The most recent ratings kept per customer as probe candidates (the real probe set takes up to 9). */
const SLOTS = 16;
/** Qualifying dates: the last days of the rating range, as the real ones follow the training period. */
const RECENT_DAYS = 90;
const MOVIE_BITS = 2 ** 20;

/** A (movie, customer index) pair; qualifying pairs carry their date. */
export interface Pair {
  movieId: number;
  customer: number;
  day: number;
}

/**
 * Chooses the probe and qualifying pairs while the rating blocks are drawn, from a random stream of its own
 * (the ratings do not change). Probe: each customer's most recent ratings (a slot table of the latest SLOTS
 * per customer, kept as blocks stream by), about PROBE_SHARE of each customer's count. Qualifying: per movie,
 * about QUALIFYING_SHARE of its count of customers who did not rate it, dated in the last RECENT_DAYS days.
 */
export class PairSampler {
  private readonly random: Random;
  /** Per customer, SLOTS keys day * 2^20 + movie_id of its latest ratings so far. */
  private readonly slots: Uint32Array;
  private readonly filled: Uint8Array;
  /** Per customer with full slots, the oldest key kept: most ratings are older and skip the slots. */
  private readonly oldest: Uint32Array;
  private readonly ratings: Uint32Array;
  readonly qualifying: Pair[] = [];

  constructor(
    private readonly customers: number,
    seed: number,
  ) {
    this.random = new Random(seed, STREAM.pairs);
    this.slots = new Uint32Array(customers * SLOTS);
    this.filled = new Uint8Array(customers);
    this.oldest = new Uint32Array(customers);
    this.ratings = new Uint32Array(customers);
  }

  /** Takes a block just drawn (the sampler still knows who rated its movie). */
  observe(block: MovieBlock, sampler: BlockSampler): void {
    const {slots, filled, oldest, ratings} = this;
    const {movieId, customers, ratingDay, count} = block;
    // hot path (every drawn rating): a slot is replaced only when the rating is newer than the oldest kept
    for (let r = 0; r < count; r++) {
      const c = customers[r];
      ratings[c]++;
      const key = codeDay(ratingDay[r]) * MOVIE_BITS + movieId;
      const n = filled[c];
      if (n === SLOTS && key <= oldest[c]) continue;
      const base = c * SLOTS;
      if (n < SLOTS) {
        slots[base + n] = key;
        filled[c] = n + 1;
        if (n + 1 < SLOTS) continue;
      } else {
        let at = base;
        while (slots[at] !== oldest[c]) at++;
        slots[at] = key;
      }
      let min = slots[base];
      for (let s = base + 1; s < base + SLOTS; s++) if (slots[s] < min) min = slots[s];
      oldest[c] = min;
    }
    const picks = this.share(QUALIFYING_SHARE * count);
    const taken = new Set<number>();
    for (let k = 0, tries = 0; k < picks && tries < 20 * picks; tries++) {
      const c = this.random.below(this.customers);
      if (sampler.rated(c, movieId) || taken.has(c)) continue;
      taken.add(c);
      this.qualifying.push({movieId, customer: c, day: DAY_COUNT - 1 - this.random.below(RECENT_DAYS)});
      k++;
    }
  }

  /** The probe pairs: each customer's latest ratings, about PROBE_SHARE of its count. */
  probe(): Pair[] {
    const pairs: Pair[] = [];
    for (let c = 0; c < this.customers; c++) {
      const take = Math.min(this.filled[c], this.share(PROBE_SHARE * this.ratings[c]));
      if (take === 0) continue;
      const keys = Array.from(this.slots.subarray(c * SLOTS, c * SLOTS + this.filled[c])).sort((a, b) => b - a);
      for (const key of keys.slice(0, take)) pairs.push({movieId: key % MOVIE_BITS, customer: c, day: Math.floor(key / MOVIE_BITS)});
    }
    return pairs;
  }

  /** `x` rounded up or down at random, so that the shares add up over many draws. */
  private share(x: number): number {
    const whole = Math.floor(x);
    return whole + (this.random.below(1 << 20) < (x - whole) * (1 << 20) ? 1 : 0);
  }
}

/** Movie ids in string order, as the real probe.txt lists them (1001, 10010, ..., 1002). */
export function stringOrder(movieIds: Iterable<number>): number[] {
  return [...new Set(movieIds)].map(String).sort().map(Number);
}

/** Pairs grouped by movie, the movies in string order, each movie's customers in index (= id) order. */
export function byMovie<T extends {movieId: number; customer: number}>(pairs: readonly T[]): [number, T[]][] {
  const groups = new Map<number, T[]>();
  for (const pair of pairs) {
    const list = groups.get(pair.movieId) ?? [];
    list.push(pair);
    groups.set(pair.movieId, list);
  }
  return stringOrder(groups.keys()).map((movieId) => [movieId, groups.get(movieId)!.sort((a, b) => a.customer - b.customer)]);
}
