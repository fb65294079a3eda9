import {describe, expect, it} from 'vitest';
import {transform} from './dataset.js';

// SPEC 2: keys, dimensions and views.
describe('star schema', () => {
  const data = {
    'combined_data_1.txt': '20:\n300,4,2005-03-01\n100,5,2004-12-31\n10:\n300,2,2005-01-02\n200,3,2005-01-02\n',
    'movie_titles.csv': '10,1999,Ten\n20,2001,Twenty\n15,2000,Fifteen\n',
  };

  it('numbers movies, customers and ratings densely from 1 in natural-id order', async () => {
    const t = await transform(data);
    expect(await t.query('SELECT movie_key, movie_id FROM dim_movie ORDER BY movie_key')).toEqual([
      {movie_key: 1, movie_id: 10},
      {movie_key: 2, movie_id: 15},
      {movie_key: 3, movie_id: 20},
    ]);
    expect(await t.query('SELECT customer_key, customer_id FROM dim_customer ORDER BY customer_key')).toEqual([
      {customer_key: 1, customer_id: 100},
      {customer_key: 2, customer_id: 200},
      {customer_key: 3, customer_id: 300},
    ]);
    expect(await t.query('SELECT rating_key, customer_key, movie_key, date_key, rating FROM fact_ratings ORDER BY rating_key')).toEqual([
      {rating_key: 1, customer_key: 2, movie_key: 1, date_key: 20050102, rating: 3},
      {rating_key: 2, customer_key: 3, movie_key: 1, date_key: 20050102, rating: 2},
      {rating_key: 3, customer_key: 1, movie_key: 3, date_key: 20041231, rating: 5},
      {rating_key: 4, customer_key: 3, movie_key: 3, date_key: 20050301, rating: 4},
    ]);
  });

  it('aggregates each customer exactly', async () => {
    const t = await transform(data);
    expect(await t.query('SELECT * FROM dim_customer WHERE customer_id = 300')).toEqual([
      {customer_key: 3, customer_id: 300, first_rating_date: '2005-01-02', last_rating_date: '2005-03-01', total_ratings: 2, avg_rating: 3},
    ]);
  });

  it('covers whole years in dim_date with ISO weekdays and weeks', async () => {
    const t = await transform(data);
    expect(await t.query('SELECT count(*) AS days, min(date_key) AS first, max(date_key) AS last FROM dim_date')).toEqual([{days: 366 + 365, first: 20040101, last: 20051231}]);
    // 2005-01-02 is a Sunday in ISO week 53 of 2004
    expect(await t.query('SELECT * FROM dim_date WHERE date_key = 20050102')).toEqual([
      {
        date_key: 20050102,
        date_actual: '2005-01-02',
        year: 2005,
        quarter: 1,
        month: 1,
        month_name: 'January',
        day: 2,
        day_of_week: 7,
        day_name: 'Sunday',
        week_of_year: 53,
        is_weekend: true,
      },
    ]);
  });

  it('widens dim_date to --date-from / --date-to', async () => {
    const t = await transform(data, {dateFrom: '1999-11-11', dateTo: '2006-01-01'});
    expect(await t.query('SELECT min(date_actual) AS first, max(date_actual) AS last FROM dim_date')).toEqual([{first: '1999-11-11', last: '2006-01-01'}]);
  });

  it('refuses a --date-from that would cut ratings off from their date', async () => {
    await expect(transform(data, {dateFrom: '2005-01-01'})).rejects.toThrow(/--date-from 2005-01-01 is after the first rating date 2004-12-31/);
  });

  it('provides the daily summary and movie performance views', async () => {
    const t = await transform(data);
    expect(await t.query('SELECT date_key, rating_count, avg_rating FROM v_daily_rating_summary ORDER BY date_key')).toEqual([
      {date_key: 20041231, rating_count: 1, avg_rating: 5},
      {date_key: 20050102, rating_count: 2, avg_rating: 2.5},
      {date_key: 20050301, rating_count: 1, avg_rating: 4},
    ]);
    expect(await t.query('SELECT * FROM v_movie_performance WHERE movie_id = 20')).toEqual([
      {movie_key: 3, movie_id: 20, title: 'Twenty', release_year: 2001, rating_count: 2, avg_rating: 4.5, first_rating_date: '2004-12-31', last_rating_date: '2005-03-01'},
    ]);
  });

  it('records lineage: one etl_run and a source_file row per input with sha256 and line accounting', async () => {
    const t = await transform(data);
    const [run] = await t.query('SELECT run_id, status, rating_files, ratings_loaded, rejected, movies, customers FROM etl_run');
    expect(run).toMatchObject({status: 'success', rating_files: 1, ratings_loaded: 4, rejected: 0, movies: 3, customers: 3});
    expect(await t.query('SELECT path, bytes, sha256, lines, blank_lines, headers, accepted, rejected FROM source_file ORDER BY path')).toEqual([
      {
        path: 'combined_data_1.txt',
        bytes: 76,
        sha256: 'fe95d33c0ed2842fefb3cdc5bb5979164889d09f0144c9d5572e18b6933b96f5',
        lines: 6,
        blank_lines: 0,
        headers: 2,
        accepted: 4,
        rejected: 0,
      },
      {path: 'movie_titles.csv', bytes: 43, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), lines: 3, blank_lines: 0, headers: 0, accepted: 3, rejected: 0},
    ]);
    expect((await t.query('SELECT DISTINCT run_id FROM source_file'))[0].run_id).toBe(run.run_id);
  });
});
