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
    });
    batch.length = slice.length;
    batches.push(batch);
  }
  return batches;
}

function run(rows: [number, number][]): {ranks: number[]; movies: number[]; suspects: number[]} {
  const emitted: RatingBatch[] = [];
  const ranker = new RunRanker((batch) => emitted.push(batch));
  for (const batch of batchesOf(rows)) ranker.add(batch);
  const {movies, suspects} = ranker.finish();
  return {ranks: emitted.flatMap((batch) => Array.from(batch.movieRank.subarray(0, batch.length))), movies, suspects};
}

const rank = (rows: [number, number][]): number[] => run(rows).ranks;

describe('RunRanker', () => {
  it('ranks customers within each movie run in customer_id order', () => {
    expect(rank([[1, 30], [1, 10], [1, 20], [2, 5], [3, 9], [3, 2]])).toEqual([3, 1, 2, 1, 2, 1]);
  });

  it('ranks a run that spans several batches as one run, and emits every batch once, in order', () => {
    const n = 2 * BATCH_ROWS + 123;
    const rows: [number, number][] = [[7, 1_000_000]];
    // customers in a scrambled order: i * 7919 mod n is a permutation of 0..n-1 (7919 is prime, n is not a multiple)
    for (let i = 0; i < n; i++) rows.push([8, ((i * 7919) % n) + 1]);
    rows.push([9, 3]);
    const ranks = rank(rows);
    expect(ranks).toHaveLength(n + 2);
    expect(ranks[0]).toBe(1);
    expect(ranks.slice(1, n + 1)).toEqual(rows.slice(1, n + 1).map(([, customer]) => customer));
    expect(ranks[n + 1]).toBe(1);
  });

  it('flags movies with a repeated customer in a run, or with a second run, as duplicate suspects', () => {
    const result = run([[1, 5], [1, 6], [2, 7], [2, 7], [3, 1], [4, 1], [3, 2]]);
    expect(result.movies).toEqual([1, 2, 3, 4]);
    expect(result.suspects.sort()).toEqual([2, 3]);
  });
});
