import {beforeAll, describe, expect, it} from 'vitest';
import {generatedWarehouse, type GeneratedWarehouse} from './fixtures.js';
import {runReport} from './run-report.js';
import {transform} from '../transform/dataset.js';
import {
  coldStart,
  commonPairs,
  neighbours,
  pearson,
  probeColdStart,
  ratingMatrix,
  readWarehouse,
  round6,
  topRatedByYear,
  type Neighbour,
  type RatingMatrix,
  type WarehouseMovie,
  type WarehouseRating,
} from './use-case-reference.js';

// A --dirty generated data set (rejects and duplicates dropped by the transform): the reference reads the fact
// rows the warehouse kept and computes every report again in plain TypeScript (use-case-reference.ts).
// At this size there are 21 movies (one never rated) and 6,000 customers with at most 19 ratings each, so small
// min_common values give zero-variance pairs and exact ties.
let warehouse: GeneratedWarehouse;
let ratings: WarehouseRating[];
let movies: WarehouseMovie[];
let byMovie: RatingMatrix;
let byCustomer: RatingMatrix;
beforeAll(async () => {
  warehouse = await generatedWarehouse({ratings: '30000', seed: '5', dirty: true});
  ({ratings, movies} = await readWarehouse(warehouse.db));
  byMovie = ratingMatrix(ratings, 'movie');
  byCustomer = ratingMatrix(ratings, 'customer');
});

const mostRated = (matrix: RatingMatrix): number => [...matrix.entries()].sort(([a, x], [b, y]) => y.size - x.size || a - b)[0][0];

/** The report's rows are the reference's, in the same order, with the same figures rounded to 6 decimals. */
function expectNeighbours(rows: Record<string, unknown>[], expected: Neighbour[], idColumn: string, commonColumn: string): void {
  expect(rows.map((r) => [r[idColumn], r[commonColumn]])).toEqual(expected.map((n) => [n.id, n.common]));
  for (const [i, n] of expected.entries()) {
    expect(Math.abs((rows[i].pearson as number) - n.pearson)).toBeLessThanOrEqual(0.5e-6 + 1e-12);
    expect(rows[i].similarity).toBe(round6(n.similarity));
  }
}

/** The first id (and min_common) whose neighbour list has two equal similarities, with that list. */
function findTie(matrix: RatingMatrix, minCommon: number, limit: number): {id: number; list: Neighbour[]} | undefined {
  for (const id of [...matrix.keys()].sort((a, b) => a - b)) {
    const list = neighbours(matrix, id, minCommon).slice(0, limit);
    if (list.some((n, i) => i > 0 && round6(n.similarity) === round6(list[i - 1].similarity))) return {id, list};
  }
  return undefined;
}

/** An (id, other) pair with enough common raters whose correlation is undefined: one side rated all alike. */
function findZeroVariancePair(matrix: RatingMatrix, minCommon: number): {id: number; other: number} | undefined {
  for (const id of [...matrix.keys()].sort((a, b) => a - b)) {
    for (const [other, theirs] of matrix) {
      const pairs = commonPairs(matrix.get(id)!, theirs);
      if (other !== id && pairs.length >= minCommon && pearson(pairs) === null) return {id, other};
    }
  }
  return undefined;
}

describe('similar-movies', () => {
  it('lists the 20 best by shrunk Pearson for the most rated movie, by default over at least 20 common customers', async () => {
    const id = mostRated(byMovie);
    const rows = await runReport(warehouse.db, 'similar-movies', {id: String(id)});
    expectNeighbours(rows, neighbours(byMovie, id, 20).slice(0, 20), 'movie_id', 'common_customers');
    expect(rows.length).toBeGreaterThan(10);
    const movie = movies.find((m) => m.movieId === rows[0].movie_id)!;
    expect([rows[0].title, rows[0].release_year]).toEqual([movie.title, movie.releaseYear]);
  });

  it.each([[0], [5], [10], [19]])('matches the reference for the movie at rank %i of rating counts, with min_common=50 and limit=5', async (rank) => {
    const id = [...byMovie.entries()].sort(([a, x], [b, y]) => y.size - x.size || a - b)[rank][0];
    const rows = await runReport(warehouse.db, 'similar-movies', {id: String(id), min_common: '50', limit: '5'});
    expectNeighbours(rows, neighbours(byMovie, id, 50).slice(0, 5), 'movie_id', 'common_customers');
  });

  it('leaves out the movies with fewer than min_common common customers', async () => {
    const id = [...byMovie.entries()].sort(([a, x], [b, y]) => x.size - y.size || a - b)[0][0];
    const most = Math.max(...[...byMovie.entries()].filter(([other]) => other !== id).map(([, theirs]) => commonPairs(byMovie.get(id)!, theirs).length));
    expect(await runReport(warehouse.db, 'similar-movies', {id: String(id), min_common: String(most + 1)})).toEqual([]);
    const rows = await runReport(warehouse.db, 'similar-movies', {id: String(id), min_common: String(most), limit: '100'});
    expectNeighbours(rows, neighbours(byMovie, id, most), 'movie_id', 'common_customers');
  });

  it('gives no rows for a movie nobody rated', async () => {
    const unrated = movies.find((m) => !byMovie.has(m.movieId));
    expect(unrated).toBeDefined();
    expect(await runReport(warehouse.db, 'similar-movies', {id: String(unrated!.movieId), min_common: '1'})).toEqual([]);
  });

  // generated data need not hold one, so the zero-variance pair is written out: movie 2 got a 3 from everyone
  it('leaves out a pair with zero variance on either side', async () => {
    const small = await transform({
      'combined_data_1.txt': '1:\n10,5,2005-01-01\n11,3,2005-01-02\n12,4,2005-01-03\n2:\n10,3,2005-01-01\n11,3,2005-01-02\n12,3,2005-01-03\n3:\n10,4,2005-01-01\n11,2,2005-01-02\n12,5,2005-01-03\n',
    });
    const smallByMovie = ratingMatrix((await readWarehouse(small.db)).ratings, 'movie');
    expect(findZeroVariancePair(smallByMovie, 3)).toEqual({id: 1, other: 2});
    const rows = await runReport(small.db, 'similar-movies', {id: '1', min_common: '1', limit: '100'});
    expect(rows.map((r) => r.movie_id)).toEqual([3]);
    expectNeighbours(rows, neighbours(smallByMovie, 1, 1), 'movie_id', 'common_customers');
  });
});

describe('similar-customers', () => {
  it('matches the reference for the most active customer', async () => {
    const id = mostRated(byCustomer);
    const rows = await runReport(warehouse.db, 'similar-customers', {id: String(id), min_common: '5'});
    expectNeighbours(rows, neighbours(byCustomer, id, 5).slice(0, 20), 'customer_id', 'common_movies');
    expect(rows).toHaveLength(20);
  });

  it.each([[1], [100], [3000]])('matches the reference for the customer at rank %i of rating counts, with min_common=3 and limit=50', async (rank) => {
    const id = [...byCustomer.entries()].sort(([a, x], [b, y]) => y.size - x.size || a - b)[rank][0];
    const rows = await runReport(warehouse.db, 'similar-customers', {id: String(id), min_common: '3', limit: '50'});
    expectNeighbours(rows, neighbours(byCustomer, id, 3).slice(0, 50), 'customer_id', 'common_movies');
  });

  it('orders equal similarities by customer_id', async () => {
    const tie = findTie(byCustomer, 3, 30);
    expect(tie).toBeDefined();
    const rows = await runReport(warehouse.db, 'similar-customers', {id: String(tie!.id), min_common: '3', limit: '30'});
    expectNeighbours(rows, tie!.list, 'customer_id', 'common_movies');
    const tied = rows.filter((r, i) => i > 0 && r.similarity === rows[i - 1].similarity);
    expect(tied.length).toBeGreaterThan(0);
  });

  it('leaves out the customers who rated all common movies alike', async () => {
    const pair = findZeroVariancePair(byCustomer, 3);
    expect(pair).toBeDefined();
    const rows = await runReport(warehouse.db, 'similar-customers', {id: String(pair!.id), min_common: '3', limit: '1000'});
    expect(rows.map((r) => r.customer_id)).not.toContain(pair!.other);
    expectNeighbours(rows, neighbours(byCustomer, pair!.id, 3).slice(0, 1000), 'customer_id', 'common_movies');
  });
});

describe('top-rated-by-year', () => {
  /** Rounded figures within half a unit of the 4th decimal; the rows in the reference's order. */
  function expectTopRated(rows: Record<string, unknown>[], prior: number, limit: number, year?: number): void {
    const expected = topRatedByYear(ratings, movies, prior, limit).filter((m) => year === undefined || m.releaseYear === year);
    expect(rows.map((r) => [r.release_year, r.rank, r.movie_id, r.rating_count])).toEqual(expected.map((m) => [m.releaseYear, m.rank, m.movieId, m.ratingCount]));
    for (const [i, m] of expected.entries()) {
      expect(Math.abs((rows[i].avg_rating as number) - m.avgRating)).toBeLessThanOrEqual(0.50001e-4);
      expect(Math.abs((rows[i].damped_mean as number) - m.dampedMean)).toBeLessThanOrEqual(0.50001e-4);
      expect(rows[i].title).toBe(movies.find((x) => x.movieId === m.movieId)!.title);
    }
  }

  it('ranks every release year by damped mean with prior 100, 10 movies a year', async () => {
    const rows = await runReport(warehouse.db, 'top-rated-by-year');
    expectTopRated(rows, 100, 10);
    expect(new Set(rows.map((r) => r.release_year)).size).toBeGreaterThan(1);
  });

  it('takes one year, a limit and a prior (prior 0 is the plain average)', async () => {
    const year = movies.find((m) => m.releaseYear !== null && byMovie.has(m.movieId))!.releaseYear!;
    expectTopRated(await runReport(warehouse.db, 'top-rated-by-year', {year: String(year), limit: '2', prior: '0'}), 0, 2, year);
    expectTopRated(await runReport(warehouse.db, 'top-rated-by-year', {prior: '1000', limit: '1'}), 1000, 1);
  });

  it('refuses a release year no movie has, naming it', async () => {
    await expect(runReport(warehouse.db, 'top-rated-by-year', {year: '1800'})).rejects.toThrow('--param year=1800: no movie with release_year 1800 in the warehouse');
  });
});

describe('cold-start', () => {
  it('counts customers and movies per bucket of ratings, and customers with probe ratings per bucket of training ratings, with shares, averages, median, 90th percentile and the baseline RMSE', async () => {
    const rows = await runReport(warehouse.db, 'cold-start');
    const expected = [...coldStart(ratings, 'customer'), ...coldStart(ratings, 'movie'), ...probeColdStart(ratings)];
    expect(rows.map((r) => [r.subject, r.bucket, r.subjects, r.ratings])).toEqual(expected.map((e) => [e.subject, e.bucket, e.subjects, e.ratings]));
    const everyone = Object.fromEntries(expected.filter((e) => e.bucket === 'all').map((e) => [e.subject, e.subjects]));
    for (const [i, e] of expected.entries()) {
      expect(rows[i].share).toBeCloseTo((100 * e.subjects) / everyone[e.subject], 2);
      if (e.ratings === 0) expect(rows[i].avg_rating).toBeNull();
      else expect(Math.abs((rows[i].avg_rating as number) - e.ratingSum / e.ratings)).toBeLessThanOrEqual(0.50001e-4);
      // interpolated quantiles: the engine's arithmetic may differ from the reference's in the last bit
      for (const [got, want] of [
        [rows[i].median_ratings, e.median],
        [rows[i].p90_ratings, e.p90],
      ] as const) {
        if (want === undefined || want === null) expect(got).toBeNull();
        else expect(got as number).toBeCloseTo(want, 9);
      }
      if (e.squaredError === undefined || e.ratings === 0) expect(rows[i].baseline_rmse).toBeNull();
      else expect(Math.abs((rows[i].baseline_rmse as number) - Math.sqrt(e.squaredError / e.ratings))).toBeLessThanOrEqual(0.5e-6 + 1e-12);
    }
    expect(rows.filter((r) => r.bucket !== 'all' && r.subjects === 0).length).toBeGreaterThan(0);
  });

  it('scores the probe ratings of customers with no training rating (bucket 0) and of the thin buckets, and over all of them gives the RMSE of probe-baselines', async () => {
    const probe = (await runReport(warehouse.db, 'cold-start')).filter((r) => r.subject === 'probe');
    expect(probe.map((r) => r.bucket)).toEqual(['0', '1', '2-4', '5-9', '10-19', '20-49', '50-99', '100-499', '500+', 'all']);
    expect(probe[0]).toMatchObject({min_ratings: 0, max_ratings: 0});
    expect(probe[0].subjects).toBeGreaterThan(0);
    expect(probe.filter((r) => r.baseline_rmse !== null).length).toBeGreaterThan(3);
    const baseline = (await runReport(warehouse.db, 'probe-baselines')).find((r) => r.predictor === 'movie_customer_baseline')!;
    expect(probe.at(-1)).toMatchObject({bucket: 'all', min_ratings: 0, ratings: baseline.probe_ratings, baseline_rmse: baseline.rmse});
  });

  it('says in one probe row that there are no probe ratings when probe.txt was not loaded', async () => {
    const {db} = await transform({'combined_data_1.txt': '1:\n5,3,2005-01-02\n6,4,2005-01-03\n2:\n5,1,2005-01-04\n'});
    const rows = await runReport(db, 'cold-start');
    expect(rows.map((r) => r.subject)).toEqual([...Array(9).fill('customer'), ...Array(9).fill('movie'), 'probe']);
    expect(rows.at(-1)).toEqual({
      subject: 'probe',
      bucket: 'none: no probe ratings (is_probe is false everywhere; transform with probe.txt)',
      min_ratings: null,
      max_ratings: null,
      subjects: 0,
      share: null,
      ratings: 0,
      avg_rating: null,
      median_ratings: null,
      p90_ratings: null,
      baseline_rmse: null,
    });
    expect(rows.find((r) => r.subject === 'customer' && r.bucket === 'all')).toMatchObject({subjects: 2, ratings: 3, median_ratings: 1.5});
  });
});

describe('ids that name nothing', () => {
  it.each([
    ['similar-movies', {id: '999999'}, '--param id=999999: no movie with movie_id 999999 in the warehouse'],
    ['similar-customers', {id: '0'}, '--param id=0: no customer with customer_id 0 in the warehouse'],
    ['movie', {id: '999999'}, '--param id=999999: no movie with movie_id 999999 in the warehouse'],
    ['customer-trends', {customer: '-5'}, '--param customer=-5: no customer with customer_id -5 in the warehouse'],
  ])('%s %j is refused with one line naming it', async (report, params, message) => {
    await expect(runReport(warehouse.db, report, params)).rejects.toThrow(message);
  });
});
