import type {PairInput} from './discover.js';
import {PairFileParser} from './parse-pairs.js';
import {RatingBatch} from './parse.js';
import {readInput} from './read.js';

/**
 * The accepted (movie, customer) pairs of probe.txt, each movie's customers in ascending order: what a parse
 * thread needs to flag is_probe on the ratings of a movie run it has just put in customer order (rank.ts),
 * by a merge, so that no SQL join of every rating with the probe pairs is needed. Each parse thread reads
 * the file for itself with the same parser as the staging of probe.txt (its lines, rejects and counts are
 * staged by the usual pass): 10 MB for the real file, tens of milliseconds.
 */
export class ProbeSet {
  private constructor(private readonly byMovie: Map<number, Int32Array>) {}

  /** The movie's probe customers, ascending (a repeated line repeats its customer), or undefined. */
  customersOf(movieId: number): Int32Array | undefined {
    return this.byMovie.get(movieId);
  }

  static async read(file: PairInput): Promise<ProbeSet> {
    let movieIds = new Int32Array(1 << 16);
    let customerIds = new Int32Array(1 << 16);
    let n = 0;
    const parser = new PairFileParser('probe', {
      ratings(batch) {
        if (n + batch.length > movieIds.length) {
          const size = Math.max(n + batch.length, 2 * movieIds.length);
          movieIds = grown(movieIds, size);
          customerIds = grown(customerIds, size);
        }
        // the packed movie_customer words (see PairFileParser): low = customer | movie << 31, high = movie >>> 1
        const words = batch.movieCustomer;
        for (let row = 0; row < batch.length; row++) {
          const low = words[2 * row];
          movieIds[n] = (words[2 * row + 1] << 1) | (low >>> 31);
          customerIds[n] = low & 0x7fffffff;
          n++;
        }
        return batch;
      },
      reject() {},
    }, new RatingBatch());
    await readInput(file, (chunk) => parser.push(chunk));
    parser.end();
    return ProbeSet.fromPairs(movieIds.subarray(0, n), customerIds.subarray(0, n));
  }

  /** The pairs (movieIds[i], customerIds[i]), in the file's order. */
  static fromPairs(movieIds: Int32Array, customerIds: Int32Array): ProbeSet {
    return new ProbeSet(groupByMovie(movieIds, customerIds));
  }
}

function grown(values: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(size);
  bigger.set(values);
  return bigger;
}

/** One sorted customer array per movie, all views of one buffer. The lines come in movie blocks, so this walks runs of one movie. */
function groupByMovie(movieIds: Int32Array, customerIds: Int32Array): Map<number, Int32Array> {
  const runs: [movieId: number, start: number, end: number][] = [];
  const counts = new Map<number, number>();
  for (let start = 0; start < movieIds.length; ) {
    const movieId = movieIds[start];
    let end = start + 1;
    while (end < movieIds.length && movieIds[end] === movieId) end++;
    runs.push([movieId, start, end]);
    counts.set(movieId, (counts.get(movieId) ?? 0) + end - start);
    start = end;
  }
  const next = new Map<number, number>();
  let offset = 0;
  for (const [movieId, count] of counts) {
    next.set(movieId, offset);
    offset += count;
  }
  const customers = new Int32Array(movieIds.length);
  const byMovie = new Map<number, Int32Array>();
  for (const [movieId, start] of next) byMovie.set(movieId, customers.subarray(start, start + counts.get(movieId)!));
  for (const [movieId, start, end] of runs) {
    const at = next.get(movieId)!;
    customers.set(customerIds.subarray(start, end), at);
    next.set(movieId, at + end - start);
  }
  for (const movieCustomers of byMovie.values()) movieCustomers.sort();
  return byMovie;
}
