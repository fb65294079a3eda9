import {UserError} from '../../errors.js';
import {loadSql} from '../../sql.js';
import {rejectLinesAgain} from '../reject-lines.js';
import type {TransformRun} from '../run.js';
import {dateLiteral} from '../star.js';

/**
 * The aggregate tables of SPEC 2.1: agg_movie, agg_movie_month and agg_date rolled up from the parse threads'
 * counts (src/transforms/run-counts.ts), agg_customer_year grouped from fact_ratings.
 */
export const AGGREGATE_SQL = ['55_agg_movie', '56_agg_movie_month', '57_day_stars', '57_agg_date', '58_agg_customer_year'];

/**
 * Stage star SQL: the dimensions, the fact tables (with the probe and qualifying rules of SPEC 1.4), rejects,
 * the aggregate tables, lineage and views, one sql/duckdb file each.
 */
export const starSchema = (run: TransformRun): Promise<void> => buildStar(run, true);

/**
 * The same without the aggregate tables and the views over them: the reference that `npm run bench --
 * --aggregate-compare` measures the aggregates' cost against (issue 16, src/bench-reference.ts). Never for
 * users: the warehouse lacks SPEC 2.1's tables.
 */
export const starSchemaWithoutAggregates = (run: TransformRun): Promise<void> => buildStar(run, false);

async function buildStar(run: TransformRun, aggregates: boolean): Promise<void> {
  const {dateFrom, dateTo} = run.options;
  run.stages.dim_movie = await run.sql('20_dim_movie');
  run.stages.dim_customer = (await run.sql('31_customer_totals')) + (await run.sql('32_dim_customer'));
  run.stages.fact_qualifying = (await run.sql('34_qualifying_ruled')) + (await run.sql('35_fact_qualifying'));
  await checkDateBounds(run, dateFrom, dateTo);
  run.stages.dim_date = (await run.sql('39_dated_range')) + await run.sql('40_dim_date', {date_from: dateLiteral(dateFrom), date_to: dateLiteral(dateTo)});
  run.stages.fact_ratings = await run.sql('50_fact_ratings');
  run.stages.probe = await run.sql('52_probe');
  if (aggregates) {
    run.stages.aggregates = await run.sql('54_agg_tables');
    for (const name of AGGREGATE_SQL) run.stages.aggregates += await run.sql(name);
  }
  await rejectPairLines(run);
  run.stages.rejects = await run.sql('60_rejects');
  run.stages.lineage = (await run.sql('70_lineage')) + (await run.sql('72_source_file_insert', {run_id: `'${run.runId}'`})) + (await run.sql('74_movie_block'));
  run.stages.change_log = await run.sql('73_change_log');
  if (aggregates) run.stages.views = await run.sql('80_views');
}

/** The probe and qualifying lines the SQL rules rejected, with their raw text read again from the files. */
export async function rejectPairLines(run: TransformRun): Promise<void> {
  const since = performance.now();
  const rejected = await rejectLinesAgain(run.connection, run.lineFiles, '53_pair_reject_lines');
  const byReason = run.loader.rejectsByReason;
  for (const [reason, n] of rejected) byReason.set(reason, (byReason.get(reason) ?? 0) + n);
  run.lap('pair_rejects', since);
}

/** --date-from / --date-to may widen dim_date, never cut ratings (or qualifying pairs) off from their date. */
async function checkDateBounds(run: TransformRun, dateFrom: string | undefined, dateTo: string | undefined): Promise<void> {
  if (!dateFrom && !dateTo) return;
  const [min, max, qualifying] = (await run.connection.runAndReadAll(loadSql('duckdb', '12_rating_date_range'))).getRows()[0] as [string | null, string | null, boolean];
  if (min === null || max === null) return;
  const what = qualifying ? 'rating or qualifying date' : 'rating date';
  if (dateFrom && dateFrom > min) {
    throw new UserError(`--date-from ${dateFrom} is after the first ${what} ${min}; dim_date must cover every rating (use ${min} or earlier)`);
  }
  if (dateTo && dateTo < max) {
    throw new UserError(`--date-to ${dateTo} is before the last ${what} ${max}; dim_date must cover every rating (use ${max} or later)`);
  }
}
