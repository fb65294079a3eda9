import type {RatingBatch} from './parse.js';

/**
 * Numbers every rating within its run (consecutive ratings of one movie in a file) in customer_id order,
 * filling `movieRank`, so that SQL can form rating_key = (ratings of lower movie ids) + movieRank without
 * sorting all ratings. For a movie whose ratings form one run with distinct customers (the real data: one
 * block per movie) this is its rank in the whole movie; movies with more runs or repeated customers are
 * duplicate suspects, and SQL ranks them again after the duplicate rule.
 *
 * A run can span batches, so batches are held until the run that ends in them is closed.
 */
export class RunRanker {
  private pending: RatingBatch[] = [];
  private runBatch = 0;
  private runRow = 0;
  private runMovie = 0;
  private sorted = new Int32Array(1 << 16);

  constructor(private readonly emit: (batch: RatingBatch) => void) {}

  add(batch: RatingBatch): void {
    this.pending.push(batch);
    const b = this.pending.length - 1;
    const movieIds = batch.movieId;
    for (let row = 0; row < batch.length; row++) {
      if (movieIds[row] !== this.runMovie) {
        this.closeRun(b, row);
        this.runMovie = movieIds[row];
        this.runBatch = b;
        this.runRow = row;
      }
    }
    for (; this.runBatch > 0; this.runBatch--) this.emit(this.pending.shift()!);
  }

  /** Closes the last run and hands over every batch still held. */
  finish(): void {
    if (this.pending.length === 0) return;
    this.closeRun(this.pending.length - 1, this.pending[this.pending.length - 1].length);
    for (const batch of this.pending) this.emit(batch);
    this.pending = [];
    this.runBatch = 0;
    this.runRow = 0;
    this.runMovie = 0;
  }

  /** Ranks the rows from the run's start up to (endBatch, endRow): a native sort, then a binary search per row. */
  private closeRun(endBatch: number, endRow: number): void {
    let n = 0;
    for (let b = this.runBatch; b <= endBatch; b++) n += (b === endBatch ? endRow : this.pending[b].length) - (b === this.runBatch ? this.runRow : 0);
    if (n === 0) return;
    if (this.sorted.length < n) this.sorted = new Int32Array(Math.max(n, this.sorted.length * 2));
    const sorted = this.sorted.subarray(0, n);
    let k = 0;
    for (let b = this.runBatch; b <= endBatch; b++) {
      const customers = this.pending[b].customerId;
      for (let row = b === this.runBatch ? this.runRow : 0, end = b === endBatch ? endRow : this.pending[b].length; row < end; row++) sorted[k++] = customers[row];
    }
    sorted.sort();
    for (let b = this.runBatch; b <= endBatch; b++) {
      const {customerId, movieRank} = this.pending[b];
      for (let row = b === this.runBatch ? this.runRow : 0, end = b === endBatch ? endRow : this.pending[b].length; row < end; row++) {
        const customer = customerId[row];
        let lo = 0;
        let hi = n;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (sorted[mid] < customer) lo = mid + 1;
          else hi = mid;
        }
        movieRank[row] = lo + 1;
      }
    }
  }
}
