import {UserError} from '../../errors.js';
import type {TransformRun} from '../run.js';
import {rejectPairLines} from './star-schema.js';

/**
 * The aggregates and the customers' totals of an append: counts and sums add up, so each touched row is its
 * stored row plus the append's deltas (sql/duckdb/append/54_agg_scope.sql), with no scan of fact_ratings
 * beyond the few movies whose first date a beaten rating moved off (the customers' such dates come from the
 * scan that runs since the duplicates stage, src/transforms/first-date-scan.ts: customer_first_scan). agg_date's new rows
 * are rolled up by the full transform's 57_agg_date.sql; agg_movie_month and agg_customer_year by one shared
 * file (append/shared/period_delta.sql) over (movie, month) and (customer, year). The customers go before dim_date, which reads their dates.
 */
const DELTAS: [string, Record<string, string>][] = [
  ['append/54_agg_scope', {}],
  ['append/shared/period_delta', {table: 'agg_movie_month', key: 'movie_key', period: 'month_key', period_of: 'CAST(date_key // 100 AS INTEGER)', averaged: ''}],
  ['append/55_movie_delta', {}],
  ['append/shared/period_delta', {table: 'agg_customer_year', key: 'customer_key', period: 'year', period_of: 'CAST(date_key // 10000 AS SMALLINT)', averaged: ', CAST(rating_sum AS DOUBLE) / rating_count AS avg_rating'}],
  ['append/58_customer_delta', {}],
  ['append/57_day_star_delta', {}],
  ['57_agg_date', {}],
];

/**
 * Stage star SQL (append): the new members and facts into the warehouse's tables with the next keys, the
 * beaten stored ratings changed in place, the customers' totals and the aggregates brought up to date by
 * deltas, and the probe and qualifying rules decided against the grown warehouse, by the files of
 * sql/duckdb/append and the full transform's rule files; last, the change log of what it wrote (nfx_change).
 */
export async function starAppend(run: TransformRun): Promise<void> {
  checkRereadFiles(run);
  run.stages.dim_movie = await run.sql('append/20_dim_movie');
  run.titlesChanged = await run.count('title_change');
  run.stages.dim_customer = await run.sql('append/30_new_customers');
  run.stages.fact_ratings = await run.sql('append/50_fact_ratings');
  if (run.inputs.qualifying) run.stages.fact_qualifying = (await run.sql('34_qualifying_ruled')) + (await run.sql('append/35_fact_qualifying'));
  run.stages.aggregates = 0;
  await run.firstDateScan!.stage(run.connection);
  for (const [name, values] of DELTAS) run.stages.aggregates += await run.sql(name, values);
  run.stages.dim_date = (await run.sql('39_dated_range')) + await run.sql('append/40_dim_date');
  if (run.inputs.probe) run.stages.probe = (await run.sql('append/52_probe_flags')) + (await run.sql('52_probe'));
  await rejectPairLines(run);
  run.stages.rejects = await run.sql('append/60_rejects');
  run.stages.lineage = (await run.sql('72_source_file_insert', {run_id: `'${run.runId}'`})) + (await run.sql('append/71_stored_accounting')) + (await run.sql('74_movie_block'));
  // what this run changed, for an incremental export (a warehouse built before the log gets the table here)
  run.stages.change_log = (await run.sql('73_change_log')) + (await run.sql('append/90_change_log', {run_id: `'${run.runId}'`}));
}

/** A loaded probe or qualifying file read again must be the file that was loaded (same bytes). */
function checkRereadFiles(run: TransformRun): void {
  for (const record of run.records.filter((r) => r.reread)) {
    const loaded = run.stored!.files.find((f) => f.path === record.path);
    if (loaded && loaded.sha256 !== record.sha256) {
      throw new UserError(
        `${record.path} is not the file run ${loaded.runId} loaded (sha256 ${loaded.sha256.slice(0, 12)}… then, ${record.sha256.slice(0, 12)}… now); ` +
          'an append decides its rejected lines again and needs the loaded bytes: put that file back in --data, or run nfx transform without --append',
      );
    }
  }
}
