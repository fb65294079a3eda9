import type {RatingBatch} from './parse.js';
import type {ProbeSet} from './probe-set.js';
import type {RunCounts} from './run-counts.js';

/** is_probe in the staged rank_date_rating: bit 3 of the int64 (see RatingBatch). */
const PROBE_BIT = 8;

/**
 * Walks the accepted ratings of one file run by run (a run: consecutive ratings of one movie) and
 *
 * - puts the rows of every run in customer_id order and numbers them (movie_rank), so that SQL can form
 *   rating_key = (ratings of lower movie ids) + movie_rank without sorting all ratings, and writes them as
 *   the two packed staging columns (RatingBatch.movieCustomer, rankDateRating);
 * - finds the duplicate suspects: movies with a repeated customer inside a run, or with more than one run;
 * - counts each movie's ratings, so SQL need not scan every rating to count them per movie;
 * - flags is_probe on the rows whose customer is among the movie's probe.txt customers (given a ProbeSet),
 *   by a merge of the two customer-ordered lists, so SQL need not join every rating with the probe pairs;
 * - given RunCounts, counts the run's ratings per month, star and day for the aggregate tables.
 *
 * For a movie whose ratings form one run with distinct customers (the real data: one block per movie)
 * the run rank is its rank in the whole movie; suspects are ranked again by SQL after the duplicate rule,
 * as are movies with runs in several files (see mergeSuspects). A run can span batches, so batches are
 * held until the run that ends in them is closed.
 */
export class RunRanker {
  /** movie id -> its accepted ratings in this file */
  private readonly movies = new Map<number, number>();
  private readonly suspects = new Set<number>();
  private pending: RatingBatch[] = [];
  private runBatch = 0;
  private runRow = 0;
  private runMovie = 0;
  // radix sort scratch, reused across runs
  private customers = new Int32Array(1 << 16);
  private customersB = new Int32Array(1 << 16);
  private positions = new Int32Array(1 << 16);
  private positionsB = new Int32Array(1 << 16);
  private readonly counts = new Int32Array(2048);
  private dateRatings = new Int32Array(1 << 16);

  constructor(
    private readonly emit: (batch: RatingBatch) => void,
    private readonly probe?: ProbeSet,
    private readonly runCounts?: RunCounts,
  ) {}

  add(batch: RatingBatch): void {
    this.pending.push(batch);
    const b = this.pending.length - 1;
    const movieIds = batch.movieId;
    for (let row = 0; row < batch.length; row++) {
      const movieId = movieIds[row];
      if (movieId !== this.runMovie) {
        this.closeRun(b, row);
        if (this.movies.has(movieId)) this.suspects.add(movieId);
        else this.movies.set(movieId, 0);
        this.runMovie = movieId;
        this.runBatch = b;
        this.runRow = row;
      }
    }
    for (; this.runBatch > 0; this.runBatch--) this.emit(this.pending.shift()!);
  }

  /**
   * Closes the last run, hands over every batch still held, and returns the file's movies with their
   * ratings (`movieRatings[i]` for `movies[i]`) and its suspects.
   */
  finish(): {movies: number[]; movieRatings: number[]; suspects: number[]} {
    if (this.pending.length > 0) {
      this.closeRun(this.pending.length - 1, this.pending[this.pending.length - 1].length);
      for (const batch of this.pending) this.emit(batch);
    }
    this.pending = [];
    return {movies: [...this.movies.keys()], movieRatings: [...this.movies.values()], suspects: [...this.suspects]};
  }

  /**
   * Hot path: an LSD radix sort (passes of 11 bits, as many as the run's largest id needs) of the run's
   * customer ids carrying each row's position, then each row's rank is its sorted position; equal
   * neighbours are repeated customers.
   * 4x faster here than the native typed-array sort of packed keys, and linear for runs of any length.
   */
  private closeRun(endBatch: number, endRow: number): void {
    let n = 0;
    for (let b = this.runBatch; b <= endBatch; b++) n += (b === endBatch ? endRow : this.pending[b].length) - (b === this.runBatch ? this.runRow : 0);
    if (n === 0) return;
    this.movies.set(this.runMovie, (this.movies.get(this.runMovie) ?? 0) + n);
    if (this.customers.length < n) this.grow(n);
    let src = this.customers;
    let srcPos = this.positions;
    let dst = this.customersB;
    let dstPos = this.positionsB;
    let k = 0;
    let high = 0;
    for (let b = this.runBatch; b <= endBatch; b++) {
      const customerId = this.pending[b].customerId;
      for (let row = b === this.runBatch ? this.runRow : 0, end = b === endBatch ? endRow : this.pending[b].length; row < end; row++) {
        const id = customerId[row];
        high |= id;
        src[k] = id;
        srcPos[k] = k;
        k++;
      }
    }
    const counts = this.counts;
    // only as many passes as the largest id has 11-bit digits (real customer ids < 2^22: two, not three)
    const bits = 32 - Math.clz32(high);
    for (let shift = 0; shift < bits; shift += 11) {
      counts.fill(0);
      for (let i = 0; i < n; i++) counts[(src[i] >>> shift) & 2047]++;
      let sum = 0;
      for (let digit = 0; digit < 2048; digit++) {
        const count = counts[digit];
        counts[digit] = sum;
        sum += count;
      }
      for (let i = 0; i < n; i++) {
        const at = counts[(src[i] >>> shift) & 2047]++;
        dst[at] = src[i];
        dstPos[at] = srcPos[i];
      }
      [src, dst, srcPos, dstPos] = [dst, src, dstPos, srcPos];
    }
    for (let p = 1; p < n; p++) if (src[p] === src[p - 1]) this.suspects.add(this.runMovie);
    // date and rating of each row in run order, then every row written back in customer order as the two
    // packed staging columns: the staged ratings (and so fact_ratings) are stored in rating_key order,
    // which keeps the warehouse compact. lineRef is not carried along (line numbers are not staged).
    const dateRatings = this.dateRatings;
    k = 0;
    for (let b = this.runBatch; b <= endBatch; b++) {
      const {dateKey, rating} = this.pending[b];
      for (let row = b === this.runBatch ? this.runRow : 0, end = b === endBatch ? endRow : this.pending[b].length; row < end; row++) {
        dateRatings[k++] = (dateKey[row] << 4) | rating[row];
      }
    }
    this.runCounts?.addRun(this.runMovie, dateRatings, n);
    const movieLow = this.runMovie << 31;
    const movieHigh = this.runMovie >>> 1;
    let p = 0;
    for (let b = this.runBatch; b <= endBatch; b++) {
      const {movieCustomer, rankDateRating} = this.pending[b];
      for (let row = b === this.runBatch ? this.runRow : 0, end = b === endBatch ? endRow : this.pending[b].length; row < end; row++) {
        const dateRating = dateRatings[srcPos[p]];
        movieCustomer[2 * row] = src[p] | movieLow;
        movieCustomer[2 * row + 1] = movieHigh;
        p++; // the rank
        rankDateRating[2 * row] = (p << 31) | dateRating;
        rankDateRating[2 * row + 1] = p >>> 1;
      }
    }
    const probeCustomers = this.probe?.customersOf(this.runMovie);
    if (probeCustomers) this.flagProbe(src, n, probeCustomers);
  }

  /**
   * Sets the probe bit on the run's rows (just written in customer order, `sorted` their customers) whose
   * customer is in `probeCustomers` (ascending; a movie has few): each found by a binary search, a repeated
   * customer flagged on each of its rows.
   */
  private flagProbe(sorted: Int32Array, n: number, probeCustomers: Int32Array): void {
    // the run's i-th row is row `i - passed` of batch b
    let b = this.runBatch;
    let passed = -this.runRow;
    let low = 0;
    for (const customerId of probeCustomers) {
      let high = n;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if (sorted[mid] < customerId) low = mid + 1;
        else high = mid;
      }
      for (let i = low; i < n && sorted[i] === customerId; i++) {
        while (i - passed >= this.pending[b].length) passed += this.pending[b++].length;
        this.pending[b].rankDateRating[2 * (i - passed)] |= PROBE_BIT;
      }
    }
  }

  private grow(n: number): void {
    const size = Math.max(n, this.customers.length * 2);
    this.customers = new Int32Array(size);
    this.customersB = new Int32Array(size);
    this.positions = new Int32Array(size);
    this.positionsB = new Int32Array(size);
    this.dateRatings = new Int32Array(size);
  }
}
