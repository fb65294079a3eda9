import {describe, expect, it} from 'vitest';
import {BATCH_ROWS, RatingBatch} from '../../src/transforms/parse.js';
import {RunRanker} from '../../src/transforms/rank.js';

/** Batches holding (movie, customer) rows, split at BATCH_ROWS like the parser splits them. */
function batchesOf(rows: [number, number][]): RatingBatch[] {
  const batches: RatingBatch[] = [];
  for (let start = 0; start < rows.length; start += BATCH_ROWS) {
    const batch = new RatingBatch();
    const slice = rows.slice(start, start + BATCH_ROWS);
    slice.forEach(([movie, customer], i) => {
      batch.movieId[i] = movie;
      batch.customerId[i] = customer;
      // each row's date key is its line number here: a tag that must ride along with its row
      batch.dateKey[i] = start + i + 1;
      batch.rating[i] = ((start + i) % 5) + 1;
    });
    batch.length = slice.length;
    batches.push(batch);
  }
  return batches;
}

/** Row i of the two packed staging columns the ranker writes (see RatingBatch), unpacked. */
function unpack(batch: RatingBatch, i: number): {movie: number; customer: number; rank: number; dateKey: number; rating: number} {
  const int64 = (words: Int32Array): bigint => (BigInt(words[2 * i + 1]) << 32n) | BigInt(words[2 * i] >>> 0);
  const movieCustomer = int64(batch.movieCustomer);
  const rankDateRating = int64(batch.rankDateRating);
  return {
    movie: Number(movieCustomer >> 31n),
    customer: Number(movieCustomer & 0x7fffffffn),
    rank: Number(rankDateRating >> 30n),
    dateKey: Number((rankDateRating >> 3n) & 0x7ffffffn),
    rating: Number(rankDateRating & 7n),
  };
}

/** Rows as the ranker leaves them: [movie, customer, rank, line] (the line, as the date key tag, rides along with its row). */
function run(rows: [number, number][]): {rows: [number, number, number, number][]; movies: number[]; suspects: number[]} {
  const emitted: RatingBatch[] = [];
  const ranker = new RunRanker((batch) => emitted.push(batch));
  for (const batch of batchesOf(rows)) ranker.add(batch);
  const {movies, suspects} = ranker.finish();
  const out = emitted.flatMap((batch) =>
    Array.from({length: batch.length}, (_, i): [number, number, number, number] => {
      const {movie, customer, rank, dateKey, rating} = unpack(batch, i);
      // the rating rode along too
      expect(rating).toBe(((dateKey - 1) % 5) + 1);
      return [movie, customer, rank, dateKey];
    }),
  );
  return {rows: out, movies, suspects};
}

describe('RunRanker', () => {
  it('puts the rows of each movie run in customer_id order, numbered from 1, each row keeping its date and rating', () => {
    expect(run([[1, 30], [1, 10], [1, 20], [2, 5], [3, 9], [3, 2]]).rows).toEqual([
      [1, 10, 1, 2],
      [1, 20, 2, 3],
      [1, 30, 3, 1],
      [2, 5, 1, 4],
      [3, 2, 1, 6],
      [3, 9, 2, 5],
    ]);
  });

  it('ranks a run that spans several batches as one run, and emits every batch once, in order', () => {
    const n = 2 * BATCH_ROWS + 123;
    const rows: [number, number][] = [[7, 1_000_000]];
    // customers in a scrambled order: i * 7919 mod n is a permutation of 0..n-1 (7919 is prime, n is not a multiple)
    for (let i = 0; i < n; i++) rows.push([8, ((i * 7919) % n) + 1]);
    rows.push([9, 3]);
    const ranked = run(rows).rows;
    expect(ranked).toHaveLength(n + 2);
    expect(ranked[0]).toEqual([7, 1_000_000, 1, 1]);
    // customer c sat on line i + 2 where c = (i * 7919 mod n) + 1
    const lineOf = new Map(rows.slice(1, n + 1).map(([, customer], i) => [customer, i + 2]));
    expect(ranked.slice(1, n + 1)).toEqual(Array.from({length: n}, (_, i) => [8, i + 1, i + 1, lineOf.get(i + 1)]));
    expect(ranked[n + 1]).toEqual([9, 3, 1, n + 2]);
  });

  it('flags movies with a repeated customer in a run, or with a second run, as duplicate suspects', () => {
    const result = run([[1, 5], [1, 6], [2, 7], [2, 7], [3, 1], [4, 1], [3, 2]]);
    expect(result.movies).toEqual([1, 2, 3, 4]);
    expect(result.suspects.sort()).toEqual([2, 3]);
  });
});
