/**
 * Finds the movies that may hold a duplicate (movie, customer) pair, so the duplicate rule's window
 * query runs over those movies only instead of all ratings.
 *
 * A duplicate pair either sits inside one run of consecutive ratings of a movie (caught by a per-run
 * hash set of customer ids) or spans two runs of the same movie (caught by remembering which movies
 * had a run before). A movie flagged here is only a candidate; SQL decides which occurrence wins.
 */
export class DuplicateSuspects {
  readonly movies = new Set<number>();
  private readonly moviesSeen = new Set<number>();
  private runMovie = 0;
  private runFile = -1;
  // open-addressing set of customer ids; a slot belongs to the current run when its stamp equals `generation`
  private keys = new Int32Array(1 << 12);
  private stamps = new Int32Array(1 << 12);
  private generation = 1;
  private size = 0;

  /** Feeds the movie and customer ids of consecutive accepted ratings of one file. */
  observe(fileId: number, movieIds: Int32Array, customerIds: Int32Array, length: number): void {
    for (let i = 0; i < length; i++) {
      const movieId = movieIds[i];
      if (movieId !== this.runMovie || fileId !== this.runFile) this.startRun(fileId, movieId);
      if (this.movies.has(movieId)) continue;
      if (!this.insert(customerIds[i])) this.movies.add(movieId);
    }
  }

  private startRun(fileId: number, movieId: number): void {
    if (this.moviesSeen.has(movieId)) this.movies.add(movieId);
    this.moviesSeen.add(movieId);
    this.runMovie = movieId;
    this.runFile = fileId;
    this.generation++;
    this.size = 0;
  }

  /** Adds a customer id to the current run; false when it was already there. */
  private insert(customerId: number): boolean {
    if (this.size * 2 >= this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    let slot = Math.imul(customerId, 0x9e3779b1) >>> 0 & mask;
    while (this.stamps[slot] === this.generation) {
      if (this.keys[slot] === customerId) return false;
      slot = (slot + 1) & mask;
    }
    this.stamps[slot] = this.generation;
    this.keys[slot] = customerId;
    this.size++;
    return true;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldStamps = this.stamps;
    const generation = this.generation;
    this.keys = new Int32Array(oldKeys.length * 2);
    this.stamps = new Int32Array(oldKeys.length * 2);
    this.size = 0;
    for (let i = 0; i < oldKeys.length; i++) {
      if (oldStamps[i] === generation) this.insert(oldKeys[i]);
    }
  }
}
