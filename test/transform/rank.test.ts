import {describe, expect, it} from 'vitest';
import {BATCH_ROWS, RatingBatch} from '../../src/transforms/parse.js';
import {ProbeSet} from '../../src/transforms/probe-set.js';
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
function unpack(batch: RatingBatch, i: number): {movie: number; customer: number; probe: boolean; rank: number; dateKey: number; rating: number} {
  const int64 = (words: Int32Array): bigint => (BigInt(words[2 * i + 1]) << 32n) | BigInt(words[2 * i] >>> 0);
  const movieCustomer = int64(batch.movieCustomer);
  const rankDateRating = int64(batch.rankDateRating);
  return {
    movie: Number(movieCustomer >> 31n),
    customer: Number(movieCustomer & 0x7fffffffn),
    probe: (rankDateRating & 8n) !== 0n,
    rank: Number(rankDateRating >> 31n),
    dateKey: Number((rankDateRating >> 4n) & 0x7ffffffn),
    rating: Number(rankDateRating & 7n),
  };
}

/**
 * Rows as the ranker leaves them: [movie, customer, rank, line] (the line, as the date key tag, rides along with
 * its row), and the [movie, customer] of the rows it flagged as probe pairs, given `probe` pairs.
 */
function run(
  rows: [number, number][],
  probe?: [number, number][],
): {rows: [number, number, number, number][]; movies: number[]; suspects: number[]; flagged: [number, number][]} {
  const emitted: RatingBatch[] = [];
  const probeSet = probe && ProbeSet.fromPairs(Int32Array.from(probe, ([m]) => m), Int32Array.from(probe, ([, c]) => c));
  const ranker = new RunRanker((batch) => emitted.push(batch), probeSet);
  for (const batch of batchesOf(rows)) ranker.add(batch);
  const {movies, suspects} = ranker.finish();
  const flagged: [number, number][] = [];
  const out = emitted.flatMap((batch) =>
    Array.from({length: batch.length}, (_, i): [number, number, number, number] => {
      const {movie, customer, probe: isProbe, rank, dateKey, rating} = unpack(batch, i);
      // the rating rode along too
      expect(rating).toBe(((dateKey - 1) % 5) + 1);
      if (isProbe) flagged.push([movie, customer]);
      return [movie, customer, rank, dateKey];
    }),
  );
  return {rows: out, movies, suspects, flagged};
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

  it('flags is_probe on the rows of probe pairs, in a run that spans batches and on each row of a repeated customer', () => {
    const n = BATCH_ROWS + 10;
    const rows: [number, number][] = [[7, 4]];
    // movie 8: customers n..1 (descending), then customer 2 again; movie 9: customer 3
    for (let c = n; c >= 1; c--) rows.push([8, c]);
    rows.push([8, 2], [9, 3]);
    // probe pairs in string order of movies, a customer of movie 8 listed twice, one pair not rated
    const probe: [number, number][] = [[8, n], [8, 2], [8, 1], [8, 2], [8, n + 5], [9, 3]];
    const result = run(rows, probe);
    expect(result.flagged).toEqual([[8, 1], [8, 2], [8, 2], [8, n], [9, 3]]);
    expect(result.rows).toHaveLength(n + 3);
    expect(result.rows.slice(1, 5).map(([, customer, rank]) => [customer, rank])).toEqual([[1, 1], [2, 2], [2, 3], [3, 4]]);
  });

  it('flags movies with a repeated customer in a run, or with a second run, as duplicate suspects', () => {
    const result = run([[1, 5], [1, 6], [2, 7], [2, 7], [3, 1], [4, 1], [3, 2]]);
    expect(result.movies).toEqual([1, 2, 3, 4]);
    expect(result.suspects.sort()).toEqual([2, 3]);
  });
});
