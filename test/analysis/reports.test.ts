import {beforeAll, describe, expect, it} from 'vitest';
import {bindReportParams, parseParamFlags} from '../../src/analysis/report-params.js';
import {allReports, loadReport, reportNames} from '../../src/analysis/reports.js';
import {expectAverage, generatedWarehouse, ratingsInFiles, tally, titlesInFile, type FileRating, type GeneratedWarehouse} from './fixtures.js';
import {runReport} from './run-report.js';
import {baselinePredictions, readWarehouse, type ProbePrediction} from './use-case-reference.js';
import {transform} from '../transform/dataset.js';

// A clean generated data set: every rating line is one fact row, so the files themselves are the reference.
let warehouse: GeneratedWarehouse;
let ratings: FileRating[];
beforeAll(async () => {
  warehouse = await generatedWarehouse({ratings: '30000', seed: '7'});
  ratings = ratingsInFiles(warehouse.data);
  expect(ratings).toHaveLength(30000);
});

const month = (date: string): string => date.slice(0, 7);

const ALL_REPORTS = [
  'avg-by-year',
  'by-release-year',
  'cold-start',
  'customer-trends',
  'monthly-volume',
  'movie',
  'probe-baselines',
  'rating-distribution',
  'similar-customers',
  'similar-movies',
  'top-movies',
  'top-rated-by-year',
];

describe('ready reports (sql/duckdb/reports)', () => {
  it('are the seven of the issue, by-release-year, probe-baselines and the four use cases of issue 21, each with a summary', () => {
    expect(reportNames()).toEqual(ALL_REPORTS);
    for (const report of allReports()) expect(report.summary.length).toBeGreaterThan(10);
    expect(loadReport('top-movies').params).toEqual([{name: 'limit', type: 'integer', defaultValue: '20', required: false, description: 'how many movies to list'}]);
    expect(loadReport('movie').params[0]).toMatchObject({name: 'id', required: true});
  });

  it('probe-baselines scores the three baselines on the probe set as an RMSE computed here from the fact rows', async () => {
    const predictions = baselinePredictions((await readWarehouse(warehouse.db)).ratings);
    expect(predictions.length).toBeGreaterThan(0);
    const rmse = (predict: (p: ProbePrediction) => number): number =>
      Number(Math.sqrt(predictions.reduce((s, p) => s + (p.rating - predict(p)) ** 2, 0) / predictions.length).toFixed(6));
    const expected = [
      {predictor: 'global_mean', probe_ratings: predictions.length, rmse: rmse((p) => p.globalMean)},
      {predictor: 'movie_mean', probe_ratings: predictions.length, rmse: rmse((p) => p.movieMean)},
      {predictor: 'movie_customer_baseline', probe_ratings: predictions.length, rmse: rmse((p) => p.baseline)},
    ];
    expect(await runReport(warehouse.db, 'probe-baselines')).toEqual(expected);
    // the generator draws ratings by movie tier, not by customer: the movie means beat the global mean
    expect(expected[1].rmse).toBeLessThan(expected[0].rmse);
  });

  it('probe-baselines says so when there are no probe ratings', async () => {
    const {db} = await transform({'combined_data_1.txt': '1:\n5,3,2005-01-02\n6,4,2005-01-03\n'});
    expect(await runReport(db, 'probe-baselines')).toEqual([
      {predictor: 'none: no probe ratings (is_probe is false everywhere; transform with probe.txt)', probe_ratings: 0, rmse: null},
    ]);
  });

  it('top-movies lists the most rated movies with counts and averages counted from the files', async () => {
    const perMovie = tally(ratings, (r) => r.movieId);
    const titles = titlesInFile(warehouse.data);
    const expected = [...perMovie.entries()].sort(([a, x], [b, y]) => y.ratings - x.ratings || a - b).slice(0, 5);
    const rows = await runReport(warehouse.db, 'top-movies', {limit: '5'});
    expect(rows.map((r) => [r.rank, r.movie_id, r.ratings])).toEqual(expected.map(([id, t], i) => [i + 1, id, t.ratings]));
    for (const [i, [id, t]] of expected.entries()) {
      expectAverage(rows[i].avg_rating, t.sum, t.ratings);
      expect(rows[i].title).toBe(titles.get(id)?.title ?? null);
    }
  });

  it('top-movies lists 20 movies by default', async () => {
    const movies = new Set(ratings.map((r) => r.movieId)).size;
    expect(await runReport(warehouse.db, 'top-movies')).toHaveLength(Math.min(20, movies));
  });

  it('rating-distribution counts each star value and its share', async () => {
    const perStar = tally(ratings, (r) => r.rating);
    const rows = await runReport(warehouse.db, 'rating-distribution');
    expect(rows.map((r) => [r.rating, r.ratings])).toEqual([1, 2, 3, 4, 5].map((star) => [star, perStar.get(star)?.ratings ?? 0]));
    for (const row of rows) expect(row.share).toBeCloseTo((100 * (row.ratings as number)) / ratings.length, 2);
  });

  it('monthly-volume counts ratings, customers and movies per month', async () => {
    const perMonth = tally(ratings, (r) => month(r.date));
    const rows = await runReport(warehouse.db, 'monthly-volume');
    expect(rows.map((r) => [r.month, r.ratings])).toEqual([...perMonth.entries()].sort().map(([m, t]) => [m, t.ratings]));
    const busiest = rows.reduce((a, b) => ((b.ratings as number) > (a.ratings as number) ? b : a));
    const inBusiest = ratings.filter((r) => month(r.date) === busiest.month);
    expect(busiest.customers).toBe(new Set(inBusiest.map((r) => r.customerId)).size);
    expect(busiest.movies).toBe(new Set(inBusiest.map((r) => r.movieId)).size);
    expectAverage(busiest.avg_rating, perMonth.get(busiest.month as string)!.sum, busiest.ratings as number);
  });

  it('avg-by-year averages the ratings of each calendar year', async () => {
    const perYear = tally(ratings, (r) => Number(r.date.slice(0, 4)));
    const rows = await runReport(warehouse.db, 'avg-by-year');
    expect(rows.map((r) => [r.year, r.ratings])).toEqual([...perYear.entries()].sort(([a], [b]) => a - b).map(([y, t]) => [y, t.ratings]));
    for (const row of rows) expectAverage(row.avg_rating, perYear.get(row.year as number)!.sum, row.ratings as number);
  });

  it('by-release-year groups ratings by the movie release year', async () => {
    const titles = titlesInFile(warehouse.data);
    const perYear = tally(ratings, (r) => titles.get(r.movieId)?.year ?? null);
    const rows = await runReport(warehouse.db, 'by-release-year');
    expect(new Map(rows.map((r) => [r.release_year, r.ratings]))).toEqual(new Map([...perYear.entries()].map(([y, t]) => [y, t.ratings])));
  });

  it('movie gives one movie month by month, with running totals', async () => {
    const id = ratings[0].movieId;
    const own = ratings.filter((r) => r.movieId === id);
    const perMonth = [...tally(own, (r) => month(r.date)).entries()].sort();
    const rows = await runReport(warehouse.db, 'movie', {id: String(id)});
    expect(rows.map((r) => [r.movie_id, r.month, r.ratings])).toEqual(perMonth.map(([m, t]) => [id, m, t.ratings]));
    expect(rows.at(-1)!.total_ratings).toBe(own.length);
    expectAverage(rows.at(-1)!.total_avg_rating, own.reduce((s, r) => s + r.rating, 0), own.length);
  });

  it('movie with an id that is not in the warehouse is refused, naming it', async () => {
    await expect(runReport(warehouse.db, 'movie', {id: '999999'})).rejects.toThrow('--param id=999999: no movie with movie_id 999999 in the warehouse');
  });

  it('customer-trends gives each year of a customer, with the change of average between active years', async () => {
    const perCustomer = tally(ratings, (r) => r.customerId);
    const [customerId] = [...perCustomer.entries()].sort(([a, x], [b, y]) => y.ratings - x.ratings || a - b)[0];
    const own = ratings.filter((r) => r.customerId === customerId);
    const perYear = [...tally(own, (r) => Number(r.date.slice(0, 4))).entries()].sort(([a], [b]) => a - b);
    const rows = await runReport(warehouse.db, 'customer-trends', {customer: String(customerId)});
    expect(rows.map((r) => [r.customer_id, r.year, r.ratings])).toEqual(perYear.map(([y, t]) => [customerId, y, t.ratings]));
    expect(rows[0].avg_change).toBeNull();
    if (rows.length > 1) expect(rows[1].avg_change).toBeCloseTo(perYear[1][1].sum / perYear[1][1].ratings - perYear[0][1].sum / perYear[0][1].ratings, 3);
  });

  it('customer-trends without a customer covers every (customer, year)', async () => {
    const rows = await runReport(warehouse.db, 'customer-trends');
    expect(rows).toHaveLength(new Set(ratings.map((r) => `${r.customerId}/${r.date.slice(0, 4)}`)).size);
  });
});

describe('report parameters', () => {
  it('are parsed from name=value flags, the value may hold = signs', () => {
    expect(parseParamFlags(['limit=5', 'title=a=b'])).toEqual({limit: '5', title: 'a=b'});
  });

  it.each([['limit'], ['=5'], ['two words=1']])('refuses %j, which is not name=value', (flag) => {
    expect(() => parseParamFlags([flag])).toThrow(/is not name=value/);
  });

  it('refuses a parameter the report does not declare, naming the ones it has', () => {
    expect(() => bindReportParams(loadReport('top-movies'), {limt: '5'})).toThrow('report top-movies has no parameter "limt"; its parameters are limit');
  });

  it('refuses a missing required parameter', () => {
    expect(() => bindReportParams(loadReport('movie'), {})).toThrow(/report movie needs --param id=<integer>/);
  });

  it.each([['abc'], ['1.5'], ['99999999999'], ['1; DROP TABLE fact_ratings']])('refuses %j for an integer parameter', (value) => {
    expect(() => bindReportParams(loadReport('movie'), {id: value})).toThrow(/is not an integer/);
  });

  it('binds typed values, and null for a left-out optional one', () => {
    expect(bindReportParams(loadReport('customer-trends'), {}).values).toEqual({customer: null});
    expect(bindReportParams(loadReport('top-movies'), {limit: '3'}).values).toEqual({limit: 3});
  });

  it('refuses an unknown report, listing the available ones', () => {
    expect(() => loadReport('top')).toThrow(`unknown report "top"; the reports are: ${ALL_REPORTS.join(', ')}`);
  });

  it('declare @must-exist only for parameters they have', () => {
    for (const report of allReports()) {
      for (const check of report.idChecks) expect(report.params.map((p) => p.name)).toContain(check.param);
    }
    expect(loadReport('similar-movies').idChecks).toEqual([{param: 'id', table: 'dim_movie', column: 'movie_id'}]);
  });
});
