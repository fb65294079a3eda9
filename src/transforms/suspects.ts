/**
 * Finds the movies that may hold a duplicate (movie, customer) pair, so the duplicate rule's window
 * query runs over those movies only instead of over all ratings.
 *
 * A duplicate pair either sits inside one run of consecutive ratings of a movie in a file (caught by a
 * per-run hash set of customer ids), or spans two runs of the same movie, in one file (caught here by
 * remembering the file's movies) or in two files (caught by `mergeSuspects`). A flagged movie is only a
 * candidate; SQL decides which occurrence wins.
 */
export class FileSuspects {
  private readonly suspects = new Set<number>();
  private readonly movies = new Set<number>();
  private runMovie = 0;
  // open-addressing set of customer ids; a slot belongs to the current run when its stamp equals `generation`
  private keys = new Int32Array(1 << 12);
  private stamps = new Int32Array(1 << 12);
  private generation = 1;
  private size = 0;

  /** Feeds the movie and customer ids of consecutive accepted ratings of the file. */
  observe(movieIds: Int32Array, customerIds: Int32Array, length: number): void {
    for (let i = 0; i < length; i++) {
      const movieId = movieIds[i];
      if (movieId !== this.runMovie) this.startRun(movieId);
      if (this.suspects.has(movieId)) continue;
      if (!this.insert(customerIds[i])) this.suspects.add(movieId);
    }
  }

  /** The file's movies and, among them, the ones that may repeat a customer within the file. */
  result(): {movies: number[]; suspects: number[]} {
    return {movies: [...this.movies], suspects: [...this.suspects]};
  }

  private startRun(movieId: number): void {
    if (this.movies.has(movieId)) this.suspects.add(movieId);
    this.movies.add(movieId);
    this.runMovie = movieId;
    this.generation++;
    this.size = 0;
  }

  /** Adds a customer id to the current run; false when it was already there. */
  private insert(customerId: number): boolean {
    if (this.size * 2 >= this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    let slot = (Math.imul(customerId, 0x9e3779b1) >>> 0) & mask;
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

/** The suspects of all files: each file's own, plus every movie that has ratings in more than one file. */
export function mergeSuspects(files: {movies: number[]; suspects: number[]}[]): Set<number> {
  const merged = new Set<number>();
  const seen = new Set<number>();
  for (const file of files) {
    for (const movieId of file.suspects) merged.add(movieId);
    for (const movieId of file.movies) {
      if (seen.has(movieId)) merged.add(movieId);
      seen.add(movieId);
    }
  }
  return merged;
}
