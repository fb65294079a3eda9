/**
 * The four contestants of one round, each run as its own process(es) and measured the same way:
 *   nfx transform  vs  baseline A (pure DuckDB SQL, bench/baseline-a.js)
 *   (--probe-compare: nfx transform of the same data set without probe.txt and qualifying.txt, issue 18)
 *   nfx export     vs  baseline B (psql \copy of CSV + plain-SQL constraints, bench/sql/baseline-b)
 * and the use-case reports (nfx query --report, issue 21) against their 5 s target.
 */
import {linkSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {flushWrites, measure, peakSampler} from './measure.js';
import {psql, psqlArgs, psqlPath, serverMemoryKB} from './postgres.js';

const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
const BASELINE_B_SQL = join(BENCH_DIR, 'sql', 'baseline-b');
export const NFX_SCHEMA = 'nfx_bench';
export const BASELINE_B_SCHEMA = 'baseline_b';

/**
 * @typedef {object} Context
 * @property {string} nfxBin
 * @property {import('./dataset.js').Dataset} dataset
 * @property {string} workDir
 * @property {number} jobs
 * @property {string} warehouse DuckDB file of the first transform round; export and baseline B read it
 * @property {{url: string, postmasterPid: number | null} | null} pg
 * @property {{parts: string[], dims: Record<string, string>, bytes: number, rows: number} | null} csv
 * @property {{movieId: number, customerId: number}} [reportIds] the hardest ids of the similarity reports
 */

const round3 = (x) => Number(x.toFixed(3));
const mib = (kb) => round3(kb / 1024);

/** Peak memory of the PostgreSQL server while `work` runs (null figures for a server we cannot see). */
async function withServerMemory(ctx, work) {
  const pid = ctx.pg?.postmasterPid;
  const sampler = pid ? peakSampler(() => serverMemoryKB(pid)) : null;
  try {
    const result = await work();
    const peak = sampler?.stop();
    return {...result, pgPeakRssMiB: peak ? mib(peak.rss) : null, pgPeakPssMiB: peak ? mib(peak.pss) : null};
  } finally {
    sampler?.stop();
  }
}

/** nfx transform, whole, with its own --json summary (stages.parse is the parse+append stage). */
export async function nfxTransform(ctx, db) {
  rmSync(db, {force: true});
  const run = await measure(process.execPath, [ctx.nfxBin, 'transform', '--data', ctx.dataset.dir, '--db', db, '--json', '--quiet'], {env: ctx.env});
  const summary = JSON.parse(run.stdout);
  return {
    wall: round3(run.seconds),
    cpu: run.cpuSeconds === null ? null : round3(run.cpuSeconds),
    seconds: summary.seconds,
    parse: summary.stages.parse,
    peakRssMiB: round3(run.peakRssMiB),
    stages: summary.stages,
    factRatings: summary.tables.fact_ratings,
  };
}

/** The pair files a data set may hold (probe.txt, qualifying.txt, plain or .gz). */
const PAIR_FILE = /^(probe|qualifying)\.txt(\.gz)?$/;

/**
 * --probe-compare: a sibling of the data set's folder holding hard links to all its files but probe.txt and
 * qualifying.txt (a symbolic link where the work folder is on another filesystem), made once, untimed.
 */
export function withoutPairFiles(ctx) {
  const dir = join(ctx.workDir, 'data-without-probe');
  mkdirSync(dir, {recursive: true});
  for (const name of readdirSync(ctx.dataset.dir).filter((n) => !PAIR_FILE.test(n))) {
    try {
      linkSync(join(ctx.dataset.dir, name), join(dir, name));
    } catch {
      symlinkSync(join(ctx.dataset.dir, name), join(dir, name));
    }
  }
  return {...ctx, dataset: {...ctx.dataset, dir}};
}

/** Baseline A in its own process: pure DuckDB SQL from the same files to the same star tables. */
export async function baselineA(ctx, db) {
  rmSync(db, {force: true});
  const run = await measure(process.execPath, [
    join(BENCH_DIR, 'baseline-a.js'),
    '--db',
    db,
    '--titles',
    ctx.dataset.titlesFile,
    ...ctx.dataset.ratingFiles,
  ]);
  const report = JSON.parse(run.stdout);
  rmSync(db, {force: true});
  rmSync(`${db}.wal`, {force: true});
  return {
    wall: round3(run.seconds),
    cpu: run.cpuSeconds === null ? null : round3(run.cpuSeconds),
    seconds: report.seconds,
    parse: report.parse,
    peakRssMiB: round3(Math.max(run.peakRssMiB, report.maxRssMiB)),
    stages: report.stages,
    factRatings: report.tables.fact_ratings,
  };
}

/** Whether this build of nfx has `export` (it lands while the benchmark is being built). */
export async function nfxHasExport(nfxBin) {
  try {
    await measure(process.execPath, [nfxBin, 'export', '--help']);
    return true;
  } catch {
    return false;
  }
}

/** Drops what earlier rounds left in the server and checkpoints, so every load starts alike (untimed). */
export function resetServer(ctx) {
  psql(ctx.pg.url, ['-c', `DROP SCHEMA IF EXISTS "${NFX_SCHEMA}" CASCADE`, '-c', `DROP SCHEMA IF EXISTS "${BASELINE_B_SCHEMA}" CASCADE`]);
  try {
    psql(ctx.pg.url, ['-c', 'CHECKPOINT']);
  } catch {
    // not a superuser on a server given with --url: the load starts with whatever WAL is pending
  }
  // the server runs with fsync off: what the checkpoint wrote is still dirty in the page cache
  flushWrites();
}

/**
 * nfx export --target pg of `db` (the warehouse by default) into a fresh schema, or with `fresh: false` into
 * the schema as an earlier export left it (an incremental export), with its COPY phase from its --json summary.
 */
export async function nfxExport(ctx, {db = ctx.warehouse, fresh = true} = {}) {
  if (fresh) resetServer(ctx);
  return withServerMemory(ctx, async () => {
    const run = await measure(process.execPath, [
      ctx.nfxBin,
      'export',
      '--target',
      'pg',
      '--db',
      db,
      '--url',
      ctx.pg.url,
      '--schema',
      NFX_SCHEMA,
      '--jobs',
      String(ctx.jobs),
      '--json',
      '--quiet',
    ], {env: ctx.env});
    const summary = JSON.parse(run.stdout);
    return {
      wall: round3(run.seconds),
      cpu: run.cpuSeconds === null ? null : round3(run.cpuSeconds),
      seconds: summary.seconds ?? null,
      copy: exportCopySeconds(summary),
      peakRssMiB: round3(run.peakRssMiB),
      phases: summary.phases ?? null,
      tables: summary.tables ?? null,
      mode: summary.mode ?? null,
      fullReason: summary.fullReason ?? null,
    };
  });
}

/**
 * The COPY phase of the fact table from the export's summary: `tables[fact_ratings].seconds`, its parallel
 * binary COPY streams from the first to the last (DuckDB scan and encoding included). null when the summary
 * has no such figure (the report says so).
 */
export function exportCopySeconds(summary) {
  const fact = Array.isArray(summary.tables) ? summary.tables.find((t) => t.table === 'fact_ratings') : undefined;
  return typeof fact?.seconds === 'number' ? fact.seconds : null;
}

/**
 * Baseline B's input, made once per bench run from the warehouse (untimed): every table as CSV, the
 * fact table in `jobs` files split by rating_key range, as `COPY ... TO` in DuckDB writes them.
 */
export async function prepareCsv(ctx) {
  const {DuckDBInstance} = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(ctx.warehouse, {access_mode: 'READ_ONLY', autoinstall_known_extensions: 'false', autoload_known_extensions: 'false'});
  const connection = await instance.connect();
  const started = performance.now();
  const literal = (path) => `'${path.replaceAll("'", "''")}'`;
  /** @type {Record<string, string>} */
  const dims = {};
  for (const table of ['dim_date', 'dim_movie', 'dim_customer']) {
    dims[table] = join(ctx.workDir, `${table}.csv`);
    await connection.run(`COPY ${table} TO ${literal(dims[table])} (FORMAT csv, HEADER false)`);
  }
  const rows = Number((await connection.runAndReadAll('SELECT count(*) FROM fact_ratings')).getRows()[0][0]);
  const parts = [];
  for (let part = 0; part < ctx.jobs; part++) {
    const from = Math.floor((rows * part) / ctx.jobs) + 1;
    const to = Math.floor((rows * (part + 1)) / ctx.jobs);
    const path = join(ctx.workDir, `fact_ratings.${part + 1}.csv`);
    await connection.run(
      `COPY (SELECT rating_key, customer_key, movie_key, date_key, rating FROM fact_ratings WHERE rating_key BETWEEN ${from} AND ${to} ORDER BY rating_key) TO ${literal(path)} (FORMAT csv, HEADER false)`,
    );
    parts.push(path);
  }
  connection.closeSync();
  instance.closeSync();
  return {parts, dims, rows, bytes: parts.reduce((sum, p) => sum + statSync(p).size, 0), seconds: round3((performance.now() - started) / 1000)};
}

/** Runs psql with the commands and measures it (wall, psql's own RSS is irrelevant). */
function timedPsql(ctx, commands, variables) {
  return measure(/** @type {string} */ (psqlPath()), psqlArgs(ctx.pg.url, commands, variables));
}

const copyCommand = (table, path) => `\\copy "${BASELINE_B_SCHEMA}".${table} FROM '${path.replaceAll("'", "''")}' WITH (FORMAT csv)`;

/** "Time: 12.345 ms" lines psql prints after each statement under \timing, paired with the echoed statement. */
function statementTimes(output) {
  const times = [];
  let statement = null;
  for (const line of output.split('\n')) {
    const time = /^Time: ([\d.]+) ms/.exec(line);
    if (time && statement) {
      times.push({statement, seconds: round3(Number(time[1]) / 1000)});
      statement = null;
    } else if (/^(ALTER|CREATE|ANALYZE)/.test(line)) statement = line.replace(/;$/, '');
  }
  return times;
}

/**
 * Baseline B: bare tables; the dimensions by \copy; the fact CSV parts by `jobs` psql \copy processes at
 * once; then the constraints, indexes and ANALYZE by plain SQL. COPY, dimensions and constraints timed apart.
 */
export async function baselineB(ctx) {
  resetServer(ctx);
  const schema = {schema: BASELINE_B_SCHEMA};
  psql(ctx.pg.url, ['-f', join(BASELINE_B_SQL, '01_tables.sql')], schema);
  const csv = /** @type {NonNullable<Context['csv']>} */ (ctx.csv);
  return withServerMemory(ctx, async () => {
    const dims = await timedPsql(ctx, Object.entries(csv.dims).map(([table, path]) => copyCommand(table, path)));
    const copyStarted = performance.now();
    const copies = await Promise.all(csv.parts.map((path) => timedPsql(ctx, [copyCommand('fact_ratings', path)])));
    const copy = (performance.now() - copyStarted) / 1000;
    const constraints = await measure(/** @type {string} */ (psqlPath()), [
      ...psqlArgs(ctx.pg.url, ['\\timing on'], schema),
      '-e',
      '-f',
      join(BASELINE_B_SQL, '03_constraints.sql'),
    ]);
    return {
      dims: round3(dims.seconds),
      copy: round3(copy),
      constraints: round3(constraints.seconds),
      wall: round3(dims.seconds + copy + constraints.seconds),
      cpu: round3([dims, ...copies, constraints].reduce((sum, run) => sum + (run.cpuSeconds ?? 0), 0)),
      statements: statementTimes(constraints.stdout),
    };
  });
}

/** Drops the benchmark's schemas (at the end, so the server's disk is freed before it is deleted). */
export function dropSchemas(ctx) {
  if (ctx.pg) resetServer(ctx);
}

/** The use-case reports of issue 21, each with the parameters of its hardest ordinary case (filled in by nfxReports). */
export const USE_CASE_REPORTS = [
  {id: 'similarMovies', name: 'similar-movies', params: (ids) => [`id=${ids.movieId}`]},
  {id: 'similarCustomers', name: 'similar-customers', params: (ids) => [`id=${ids.customerId}`]},
  {id: 'topRatedByYear', name: 'top-rated-by-year', params: () => []},
  {id: 'coldStart', name: 'cold-start', params: () => []},
];

/** The most-rated movie and the most active customer, the hardest ids for the similarity reports (not timed). */
export async function hardestIds(ctx) {
  const sql =
    'SELECT (SELECT m.movie_id FROM fact_ratings f JOIN dim_movie m USING (movie_key) GROUP BY m.movie_id ORDER BY count(*) DESC, m.movie_id LIMIT 1) AS movie_id, ' +
    '(SELECT customer_id FROM dim_customer ORDER BY total_ratings DESC, customer_id LIMIT 1) AS customer_id';
  const run = await measure(process.execPath, [ctx.nfxBin, 'query', '--db', ctx.warehouse, '--format', 'json', sql]);
  if (run.code !== 0) throw new Error(`nfx query (the hardest ids) exited with ${run.code}: ${run.stderr.trim()}`);
  const [row] = JSON.parse(run.stdout);
  return {movieId: row.movie_id, customerId: row.customer_id};
}

/** nfx query --report for each use-case report on the first round's warehouse, each its own process (CSV out). */
export async function nfxReports(ctx) {
  if (!ctx.reportIds) throw new Error('nfxReports: ctx.reportIds is not set (hardestIds first)');
  const reports = {};
  for (const report of USE_CASE_REPORTS) {
    const params = report.params(ctx.reportIds).flatMap((p) => ['--param', p]);
    const run = await measure(process.execPath, [ctx.nfxBin, 'query', '--db', ctx.warehouse, '--report', report.name, ...params, '--format', 'csv']);
    if (run.code !== 0) throw new Error(`nfx query --report ${report.name} exited with ${run.code}: ${run.stderr.trim()}`);
    reports[report.id] = {wall: round3(run.seconds), cpu: run.cpuSeconds === null ? null : round3(run.cpuSeconds), peakRssMiB: round3(run.peakRssMiB), params};
  }
  const all = Object.values(reports);
  return {
    wall: round3(all.reduce((s, r) => s + r.wall, 0)),
    cpu: all.every((r) => r.cpu !== null) ? round3(all.reduce((s, r) => s + r.cpu, 0)) : null,
    peakRssMiB: Math.max(...all.map((r) => r.peakRssMiB)),
    ids: ctx.reportIds,
    ...reports,
  };
}
