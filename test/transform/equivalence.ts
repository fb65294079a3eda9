/**
 * SPEC 4's equivalence of a warehouse grown by appends with a full transform of all its files: every table
 * by natural key (surrogate keys replaced by the ids they stand for), rejects and line accounting.
 *
 *   expect(await naturalContents(appended)).toEqual(await naturalContents(full));
 */
import {queryDuckDB, type Row} from '../helpers/duckdb.js';

/** One query per table or check, each ordered by natural key. */
const NATURAL: Record<string, string> = {
  facts: `SELECT m.movie_id, c.customer_id, d.date_actual, f.rating, f.is_probe
    FROM fact_ratings f JOIN dim_movie m USING (movie_key) JOIN dim_customer c USING (customer_key) JOIN dim_date d USING (date_key)
    ORDER BY m.movie_id, c.customer_id`,
  qualifying: `SELECT m.movie_id, c.customer_id, d.date_actual
    FROM fact_qualifying f JOIN dim_movie m USING (movie_key) JOIN dim_customer c USING (customer_key) JOIN dim_date d USING (date_key)
    ORDER BY m.movie_id, c.customer_id`,
  dim_movie: 'SELECT movie_id, title, release_year FROM dim_movie ORDER BY movie_id',
  dim_customer: 'SELECT customer_id, first_rating_date, last_rating_date, total_ratings, avg_rating FROM dim_customer ORDER BY customer_id',
  dim_date: 'SELECT * FROM dim_date ORDER BY date_key',
  agg_movie: `SELECT m.movie_id, a.* EXCLUDE (movie_key) FROM agg_movie a JOIN dim_movie m USING (movie_key) ORDER BY m.movie_id`,
  agg_movie_month: `SELECT m.movie_id, a.* EXCLUDE (movie_key) FROM agg_movie_month a JOIN dim_movie m USING (movie_key) ORDER BY m.movie_id, a.month_key`,
  agg_date: 'SELECT * FROM agg_date ORDER BY date_key',
  agg_customer_year: `SELECT c.customer_id, a.* EXCLUDE (customer_key) FROM agg_customer_year a JOIN dim_customer c USING (customer_key) ORDER BY c.customer_id, a.year`,
  views: `SELECT (SELECT count(*) FROM v_daily_rating_summary) AS days, (SELECT count(*) FROM v_movie_performance) AS movies,
    (SELECT sum(rating_count) FROM v_movie_performance) AS ratings`,
  rejects: 'SELECT source_file, line_number, reason, raw_line FROM rejects ORDER BY source_file, line_number',
  accounting: `SELECT s.path, s.kind, s.bytes, s.sha256, s.lines, s.blank_lines, s.headers, s.accepted, s.rejected
    FROM source_file s JOIN etl_run r USING (run_id)
    QUALIFY row_number() OVER (PARTITION BY s.path ORDER BY r.started_at DESC) = 1 ORDER BY s.path`,
  counts: `SELECT (SELECT count(*) FROM fact_ratings) AS facts, (SELECT count(*) FROM fact_ratings WHERE is_probe) AS probe,
    (SELECT count(*) FROM fact_qualifying) AS qualifying, (SELECT count(*) FROM rejects) AS rejects`,
};

export async function naturalContents(db: string): Promise<Record<string, Row[]>> {
  const contents: Record<string, Row[]> = {};
  for (const [name, sql] of Object.entries(NATURAL)) contents[name] = await queryDuckDB(db, sql);
  return contents;
}

/** Every surrogate key with the natural key it stands for, to check that appends never move one. */
export async function surrogateKeys(db: string): Promise<Record<string, Row[]>> {
  return {
    movies: await queryDuckDB(db, 'SELECT movie_id, movie_key FROM dim_movie ORDER BY movie_id'),
    customers: await queryDuckDB(db, 'SELECT customer_id, customer_key FROM dim_customer ORDER BY customer_id'),
    ratings: await queryDuckDB(
      db,
      'SELECT m.movie_id, c.customer_id, f.rating_key FROM fact_ratings f JOIN dim_movie m USING (movie_key) JOIN dim_customer c USING (customer_key) ORDER BY 1, 2',
    ),
    qualifying: await queryDuckDB(
      db,
      'SELECT m.movie_id, c.customer_id, f.qualifying_key FROM fact_qualifying f JOIN dim_movie m USING (movie_key) JOIN dim_customer c USING (customer_key) ORDER BY 1, 2',
    ),
  };
}
