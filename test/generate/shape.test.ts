import {describe, expect, test} from 'vitest';
import {UserError} from '../../src/errors.js';
import {ratingFilePlans} from '../../src/generate/layout.js';
import {defaultCustomers, defaultMovies, parseCount, resolveGenerateOptions} from '../../src/generate/options.js';
import {Random} from '../../src/generate/random.js';
import {measureShape} from '../../src/generate/shape-figures.js';
import {allocate, buildShape, inverseNormal} from '../../src/generate/shape.js';

describe('seeded random numbers', () => {
  test('the same seed and stream give the same sequence; another stream or seed does not', () => {
    const draw = (seed: number, stream: number): number[] => {
      const random = new Random(seed, stream);
      return Array.from({length: 5}, () => random.nextU32());
    };
    expect(draw(42, 1)).toEqual(draw(42, 1));
    expect(draw(42, 2)).not.toEqual(draw(42, 1));
    expect(draw(43, 1)).not.toEqual(draw(42, 1));
  });

  test('below(n) stays in [0, n) and covers it', () => {
    const random = new Random(1, 1);
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) seen.add(random.below(7));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});

describe('allocate: ratings per movie', () => {
  test('sums to the total, gives every movie at least one and none more than the cap', () => {
    const weights = Float64Array.from([1000, 1, 1, 5, 0.001, 50]);
    const counts = allocate(500, weights, 200);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(500);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...counts)).toBe(200);
  });

  test('fills every movie to the cap when the total is the full matrix', () => {
    expect([...allocate(30, Float64Array.from([1, 2, 3]), 10)]).toEqual([10, 10, 10]);
  });
});

describe('the data set shape', () => {
  test('customer ids are distinct, ascending and within 1..2,649,429', () => {
    const shape = buildShape(resolveGenerateOptions({out: '/unused', ratings: '50000', customers: '5000'}));
    const ids = [...shape.customerIds];
    expect(ids).toHaveLength(5000);
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1])).toBe(true);
    expect(ids[0]).toBeGreaterThanOrEqual(1);
    expect(ids.at(-1)!).toBeLessThanOrEqual(2_649_429);
  });

  test('combined_data_1..4 split 17,770 movies exactly as Kaggle did', () => {
    expect(ratingFilePlans('combined', 17_770, false)).toEqual([
      {path: 'combined_data_1.txt', firstMovie: 1, lastMovie: 4499},
      {path: 'combined_data_2.txt', firstMovie: 4500, lastMovie: 9210},
      {path: 'combined_data_3.txt', firstMovie: 9211, lastMovie: 13367},
      {path: 'combined_data_4.txt', firstMovie: 13368, lastMovie: 17770},
    ]);
  });
});

/** Rating counts of the movies, largest first. */
function movieCounts(ratings: string): number[] {
  return [...buildShape(resolveGenerateOptions({out: '/unused', ratings})).movieRatings].sort((a, b) => b - a);
}

// The ranges below are the README's ("How real the generated data looks").
describe('popularity and activity look like the real data', () => {
  test.each(['20k', '1M', '10M', '100480507'])('at %s ratings no two movies share the top count, and it is 0.47-0.50 of the customers', (ratings) => {
    const options = resolveGenerateOptions({out: '/unused', ratings});
    const counts = movieCounts(ratings);
    expect(counts.filter((n) => n === counts[0]).length).toBe(1);
    expect(counts[0] / options.customers).toBeGreaterThanOrEqual(0.47);
    expect(counts[0] / options.customers).toBeLessThanOrEqual(0.5);
  });

  test('at the full 100M the median movie has 450-700 ratings, 55-65 % of movies fewer than 1,000, the least rated a handful', () => {
    const counts = movieCounts('100480507');
    expect(counts.reduce((a, b) => a + b, 0)).toBe(100_480_507);
    const median = counts[Math.floor(counts.length / 2)];
    expect(median).toBeGreaterThanOrEqual(450);
    expect(median).toBeLessThanOrEqual(700);
    const under1000 = counts.filter((n) => n < 1000).length / counts.length;
    expect(under1000).toBeGreaterThanOrEqual(0.55);
    expect(under1000).toBeLessThanOrEqual(0.65);
    expect(counts.at(-1)).toBeLessThanOrEqual(10);
    // the top falls off smoothly: each of the five most rated within 10 % of the next
    for (let i = 1; i < 5; i++) expect(counts[i] / counts[i - 1]).toBeGreaterThan(0.9);
  });

  test('at 10M the median customer rates 80-130 movies, some rate once, the busiest nearly all', () => {
    const figures = measureShape(resolveGenerateOptions({out: '/unused', ratings: '10M'}));
    expect(figures.medianCustomer).toBeGreaterThanOrEqual(80);
    expect(figures.medianCustomer).toBeLessThanOrEqual(130);
    expect(figures.customersRatingOnce).toBeGreaterThan(0);
    expect(figures.busiestCustomer).toBeGreaterThanOrEqual(0.95 * 1770);
    expect(figures.moviesAtTop).toBe(1);
  });

  test('inverseNormal is the standard normal quantile', () => {
    expect(inverseNormal(0.5)).toBeCloseTo(0, 9);
    expect(inverseNormal(0.975)).toBeCloseTo(1.959964, 5);
    expect(inverseNormal(1e-6)).toBeCloseTo(-4.753424, 4);
  });
});

describe('flags', () => {
  test('defaults follow the real ratios, with enough customers for small sets', () => {
    expect(defaultMovies(100_480_507)).toBe(17_770);
    expect(defaultCustomers(100_480_507, 17_770)).toBe(480_768);
    expect(defaultMovies(10_000_000)).toBe(1770);
    expect(defaultCustomers(10_000_000, 1770)).toBe(47_847);
    // 20,000 ratings: 20 movies; 96 customers (the ratio) could not hold them, so a quarter of the pairs are rated
    expect(defaultMovies(20_000)).toBe(20);
    expect(defaultCustomers(20_000, 20)).toBe(4000);
  });

  test('counts accept k, M, G suffixes and underscores', () => {
    expect(parseCount('--ratings', '10M')).toBe(10_000_000);
    expect(parseCount('--ratings', '20k')).toBe(20_000);
    expect(parseCount('--ratings', '1_000')).toBe(1000);
  });

  test.each([
    [{ratings: 'abc'}, '--ratings must be a whole number such as 20000 or 10M (got "abc")'],
    [{ratings: '0'}, '--ratings must be at least 1 (got 0)'],
    [{ratings: '-5'}, '--ratings must be a whole number such as 20000 or 10M (got "-5")'],
    [{ratings: '1.5'}, '--ratings must be a whole number such as 20000 or 10M (got "1.5")'],
    [{customers: '2649430'}, '--customers must be at most 2,649,429, the largest real customer id (got 2,649,430)'],
    [{ratings: '1000', movies: '10', customers: '50'}, '--ratings (1,000) exceeds --movies x --customers (500): a customer rates a movie at most once'],
    [{ratings: '100', movies: '200'}, '--ratings (100) must be at least --movies (200): every movie gets a rating'],
    [{ratings: '100', customers: '200'}, '--ratings (100) must be at least --customers (200): every customer rates a movie'],
    [{seed: '4294967296'}, '--seed must be between 0 and 4294967295 (got 4294967296)'],
    [{layout: 'kaggle'}, '--layout must be combined or training-set (got "kaggle")'],
    [{ratings: '1000', movies: '10', dirty: true}, '--dirty needs at least 20 movies (got 10)'],
  ])('%o is refused: %s', (flags, message) => {
    const resolve = (): unknown => resolveGenerateOptions({out: '/unused', ...flags});
    expect(resolve).toThrow(UserError);
    expect(resolve).toThrow(message);
  });
});
