import {loadSql, nfxVersion} from '../../sql.js';
import type {TransformRun} from '../run.js';
import {checkReplaceable} from '../target.js';

/**
 * Stage publish: reads the counts for the summary, drops the staging tables, records the run in etl_run,
 * checkpoints, and moves the build over --db in one rename.
 */
export async function publish(run: TransformRun): Promise<void> {
  const since = performance.now();
  const connection = run.connection;
  const tables = {
    dim_date: await run.count('dim_date'),
    dim_movie: await run.count('dim_movie'),
    dim_customer: await run.count('dim_customer'),
    fact_ratings: await run.count('fact_ratings'),
    fact_qualifying: await run.count('fact_qualifying'),
    rejects: await run.count('rejects'),
  };
  // the accounting stage checked that the probe file's accepted lines (an append's: the loaded file's, read
  // again or not) equal the rows flagged is_probe (a scan of 100M flags is 0.3-0.5 CPU-s)
  const probeRatings = run.accounts.find((account) => account.kind === 'probe')?.accepted ?? 0;
  const moviesWithoutTitle = await run.count('dim_movie WHERE title IS NULL');
  const range = (await connection.runAndReadAll('SELECT min(date_actual)::VARCHAR, max(date_actual)::VARCHAR FROM dim_date')).getRows()[0];
  run.published = {tables, probeRatings, moviesWithoutTitle, dateRange: {from: (range[0] as string | null) ?? null, to: (range[1] as string | null) ?? null}};
  await run.sql('99_drop_staging');
  const seconds = (performance.now() - run.clock) / 1000;
  await connection.run(loadSql('duckdb', '71_etl_run_insert'), [
    run.runId,
    run.started.toISOString(),
    new Date().toISOString(),
    nfxVersion(),
    'success',
    run.mode,
    run.dataDir,
    run.inputs.ratingFiles.length,
    run.records.reduce((sum, r) => sum + r.lines, 0),
    tables.fact_ratings,
    tables.rejects,
    run.loader.rejectsByReason.get('duplicate') ?? 0,
    tables.dim_movie,
    tables.dim_customer,
    Number(seconds.toFixed(3)),
  ]);
  await connection.run('CHECKPOINT');
  run.checkInterrupted();
  run.handle!.close();
  run.lap('checkpoint', since);
  // again: a writer may have opened --db while this run was building
  await checkReplaceable(run.db);
  await run.build.commit();
}
