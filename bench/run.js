#!/usr/bin/env node
/**
 * npm run bench -- [--ratings N] [--jobs N] [--rounds R] [--keep] [--only transform|export|serving|reports|append] [--seed S]
 *                   [--url URL] [--serving-rounds R] [--compare REF] [--probe-compare] [--aggregate-compare] [--wait-quiet]
 *                   [--results DIR] [--no-baselines]
 *
 * Runs nfx and its baselines side by side on one generated data set, in alternating order, R rounds,
 * and reports medians, throughput, peak memory and the ratios nfx / baseline (see BENCHMARKS.md):
 *   nfx transform  vs  baseline A: the same star schema in pure DuckDB SQL (read_csv lines + ASOF join)
 *   nfx export     vs  baseline B: psql \copy of the same fact rows as CSV, then plain-SQL constraints
 *   nfx query --report similar-movies (the most-rated movie), similar-customers (the most active customer),
 *   top-rated-by-year and cold-start, each its own process, on the first round's warehouse
 *   nfx transform --append of a part of 1 % more ratings  vs  the full transform of all the files (bench/lib/append.js)
 * Then the serving stage (bench/lib/serving.js): the questions users ask, each over fact_ratings and over the
 * aggregate tables, on the exported PostgreSQL schema and on the DuckDB file (--serving-rounds, default
 * --rounds; 0 skips it; --only serving builds and exports untimed and runs this stage alone).
 * --no-baselines leaves baselines A and B out (at 100M they take 6-7 minutes of a run that measures nfx against itself).
 * --compare REF builds another commit beside this one (bench/lib/reference.js) and runs its transform and export
 * as two more contestants in every round, with the ratios this build / REF (what a change costs, same run).
 * --probe-compare runs this build's transform on the data set without probe.txt and qualifying.txt (a sibling
 * folder of hard links) as one more contestant in every round, with the ratio with / without (issue 18: <= 1.05x).
 * --aggregate-compare runs this build's transform without the aggregate tables (NFX_BENCH_NO_AGGREGATES=1,
 * src/bench-reference.ts) as one more contestant in every round, and its export (of that warehouse, without them,
 * the views over fact_ratings) beside nfx's, with the ratios with / without (issue 16: <= 1.05x each).
 * Writes bench/results/<YYYY-MM-DD>-<N>.json. With no --url, the PostgreSQL side runs on a throwaway
 * cluster of the machine's PostgreSQL 15 (.ci/with-postgres), stopped and deleted at the end.
 * Each contestant's record says how many cores other work on the machine kept busy while it ran; with
 * --wait-quiet, each contestant waits (up to 15 min) until other work leaves the cores idle.
 */
import {execFileSync, spawn} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {availableParallelism, cpus, loadavg, tmpdir, totalmem} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {ensureDataset} from './lib/dataset.js';
import {flushWrites, machineBusySeconds, othersBusyCores, treeCpuSeconds} from './lib/measure.js';
import {PG_BINDIR, psql, psqlPath, serverInfo} from './lib/postgres.js';
import {evaluateTargets, ratios, renderReport, summarizeStages} from './lib/report.js';
import {appendPart, exportAppendedFull, exportAppendedIncremental, exportBase, fullOfAll, prepareAppend, renderAppend, summarizeAppend} from './lib/append.js';
import {buildReference} from './lib/reference.js';
import {measureServing, renderServing} from './lib/serving.js';
import {baselineA, baselineB, dropSchemas, hardestIds, NFX_SCHEMA, nfxExport, nfxHasExport, nfxReports, nfxTransform, prepareCsv, resetServer, withoutPairFiles} from './lib/stages.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const REPO = join(BENCH_DIR, '..');
const NFX_BIN = join(REPO, 'bin', 'run.js');
const WITH_POSTGRES = join(REPO, '.ci', 'with-postgres');
const INSIDE_PG = 'NFX_BENCH_INSIDE_WITH_POSTGRES';

const log = (line) => process.stderr.write(`bench: ${line}\n`);

/** 20000, 20k, 1M, 1.5M, 100M, 1G */
function count(text, flag) {
  const match = /^(\d+(?:\.\d+)?)([kKmMgG]?)$/.exec(String(text).replaceAll('_', ''));
  const value = match ? Number(match[1]) * {'': 1, k: 1e3, m: 1e6, g: 1e9}[match[2].toLowerCase()] : NaN;
  if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} ${text} is not a positive count (e.g. 20000, 1M, 100M)`);
  return value;
}

function options() {
  const {values} = parseArgs({
    options: {
      ratings: {type: 'string', default: '1M'},
      jobs: {type: 'string', default: '2'},
      rounds: {type: 'string'},
      seed: {type: 'string', default: '42'},
      keep: {type: 'boolean', default: false},
      'wait-quiet': {type: 'boolean', default: false},
      only: {type: 'string'},
      url: {type: 'string'},
      results: {type: 'string', default: join(BENCH_DIR, 'results')},
      'serving-rounds': {type: 'string'},
      compare: {type: 'string'},
      'probe-compare': {type: 'boolean', default: false},
      'aggregate-compare': {type: 'boolean', default: false},
      'no-baselines': {type: 'boolean', default: false},
      help: {type: 'boolean', short: 'h', default: false},
    },
  });
  if (values.help) {
    process.stdout.write(`${readFileSync(fileURLToPath(import.meta.url), 'utf8').split('*/')[0].replace(/^#!.*\n\/\*\*\n/, '').replace(/^ \* ?/gm, '')}\n`);
    process.exit(0);
  }
  const ratings = count(values.ratings, '--ratings');
  const rounds = values.rounds ? count(values.rounds, '--rounds') : ratings <= 10_000_000 ? 3 : 1;
  const onlies = ['transform', 'export', 'serving', 'reports', 'append'];
  if (values.only && !onlies.includes(values.only)) throw new Error(`--only ${values.only}: use ${onlies.join(', ')}`);
  const single = values.only === 'serving' || values.only === 'reports' || values.only === 'append';
  const servingRounds = values.only === 'reports' || values.only === 'append' || values['serving-rounds'] === '0' ? 0 : values['serving-rounds'] ? count(values['serving-rounds'], '--serving-rounds') : rounds;
  return {ratings, jobs: count(values.jobs, '--jobs'), rounds: values.only === 'serving' ? 1 : rounds, servingRounds, seed: count(values.seed, '--seed'), keep: values.keep, waitQuiet: values['wait-quiet'], only: values.only ?? null, single, url: values.url ?? null, results: values.results, compare: values.compare ?? null, probeCompare: values['probe-compare'], aggregateCompare: values['aggregate-compare'], baselines: !values['no-baselines']};
}

/** Re-runs this script under .ci/with-postgres (a throwaway local cluster for the whole bench). */
function rerunWithPostgres() {
  return new Promise((resolve) => {
    const child = spawn(WITH_POSTGRES, [PG_BINDIR, process.execPath, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
      stdio: ['inherit', 'inherit', 'inherit'],
      env: {...process.env, [INSIDE_PG]: '1'},
    });
    child.on('close', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : 1)));
  });
}

function git(args) {
  try {
    return execFileSync('git', args, {cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']}).trim();
  } catch {
    return null;
  }
}

async function machine(pg) {
  const {version: duckdbVersion} = await import('@duckdb/node-api');
  const pkg = (name) => JSON.parse(readFileSync(join(REPO, 'node_modules', name, 'package.json'), 'utf8')).version;
  const changed = git(['status', '--porcelain', '--', 'src', 'sql']);
  return {
    cpuModel: cpus()[0]?.model ?? null,
    cores: availableParallelism(),
    memoryGB: Number((totalmem() / 2 ** 30).toFixed(1)),
    node: process.version,
    duckdb: duckdbVersion(),
    duckdbNodeApi: pkg('@duckdb/node-api'),
    postgres: pg?.version ?? null,
    psql: psqlPath() ? execFileSync(/** @type {string} */ (psqlPath()), ['--version'], {encoding: 'utf8'}).trim() : null,
    nfxCommit: git(['rev-parse', '--short', 'HEAD']),
    nfxUncommittedSrcFiles: changed ? changed.split('\n').length : 0,
  };
}

const QUIET_CORES = 0.25; // --wait-quiet: other work may keep at most a quarter of a core busy
const QUIET_MAX_WAIT_S = 900;
const NOISY_CORES = 0.25; // a contestant that shared the machine with more other work than this is flagged

/** --wait-quiet: waits (up to QUIET_MAX_WAIT_S) until other work on the machine leaves the cores idle. */
async function waitForQuiet(serverPid, label) {
  const started = performance.now();
  let busy = await othersBusyCores(serverPid);
  let said = false;
  while (busy > QUIET_CORES && (performance.now() - started) / 1000 < QUIET_MAX_WAIT_S) {
    if (!said) log(`${label}: other work keeps ${busy.toFixed(2)} cores busy; waiting for the machine to be quiet`);
    said = true;
    await new Promise((resolve) => setTimeout(resolve, 8000));
    busy = await othersBusyCores(serverPid);
  }
  return {waitedSeconds: Math.round((performance.now() - started) / 1000), othersCoresBefore: Number(busy.toFixed(2))};
}

/** The contestants whose work includes the PostgreSQL server's. */
const USES_SERVER = new Set(['export', 'exportRef', 'exportNoAgg', 'baselineB', 'exportAppendedFull', 'exportIncremental']);
const CONTESTANTS = ['transform', 'transformRef', 'transformNoPairs', 'transformNoAgg', 'baselineA', 'export', 'exportRef', 'baselineB', 'reports', 'appendFull', 'append', 'exportAppendedFull', 'exportIncremental'];

/** The contestants in the order of this round: rotated each round, so none always runs on a cache another warmed. */
const inTurn = (names, round) => names.map((_, i) => names[(i + round - 1) % names.length]);

/**
 * Runs one contestant; a failure is recorded and reported, and the other contestants go on. Also measures how
 * many cores other work on the machine kept busy meanwhile (all busy CPU minus the contestant's process, this
 * script's and, for export and baseline B, the PostgreSQL server's), the best single indicator of how noisy
 * the figure is. While a transform-side contestant runs, the server's CPU (autovacuum, a checkpoint) is other work.
 */
async function attempt(name, round, errors, work, {serverPid, waitQuiet}) {
  try {
    const ownServer = USES_SERVER.has(name) ? serverPid : null;
    flushWrites();
    const quiet = waitQuiet ? await waitForQuiet(ownServer, `round ${round}: ${name}`) : null;
    const before = {machine: machineBusySeconds(), server: ownServer ? treeCpuSeconds(ownServer) : 0, self: process.cpuUsage(), at: performance.now()};
    const result = await work();
    const elapsed = (performance.now() - before.at) / 1000;
    const serverCpu = ownServer ? treeCpuSeconds(ownServer) - before.server : 0;
    const self = process.cpuUsage(before.self);
    const ours = (result.cpu ?? 0) + serverCpu + (self.user + self.system) / 1e6;
    result.pgCpuSeconds = ownServer ? Number(serverCpu.toFixed(2)) : null;
    result.othersCores = Number(Math.max(0, (machineBusySeconds() - before.machine - ours) / elapsed).toFixed(2));
    if (quiet) Object.assign(result, quiet);
    log(`round ${round}: ${name} ${result.wall.toFixed(2)} s, peak RSS ${Math.round(result.peakRssMiB ?? 0) || '-'} MiB, other work ${result.othersCores} cores`);
    return result;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    errors.push({round, stage: name, message});
    log(`round ${round}: ${name} FAILED: ${message}`);
    return null;
  }
}

async function main() {
  const opts = options();
  const needsPg = opts.only === null || opts.only === 'export' || opts.only === 'serving' || opts.only === 'append';
  if (needsPg && !opts.url && !process.env[INSIDE_PG] && existsSync(WITH_POSTGRES) && existsSync(`${PG_BINDIR}/pg_ctl`) && psqlPath()) {
    process.exit(await rerunWithPostgres());
  }
  if (!existsSync(join(REPO, 'dist', 'commands', 'transform.js'))) throw new Error('dist/ is missing: run `npm run bench` (it builds first) or `npm run build`');

  const url = opts.url ?? (process.env[INSIDE_PG] ? process.env.NFX_TEST_DATABASE_URL : undefined) ?? null;
  /** @type {{url: string, postmasterPid: number | null, version: string} | null} */
  let pg = null;
  const skipped = [];
  if (needsPg) {
    if (!url) skipped.push(`export and baseline B: no PostgreSQL (pass --url, or install PostgreSQL 15 in ${PG_BINDIR})`);
    else if (!psqlPath()) skipped.push('export and baseline B: psql not found');
    else pg = {url, ...serverInfo(url)};
  }
  const hasExport = pg ? await nfxHasExport(NFX_BIN) : false;
  if (pg && !hasExport) skipped.push('nfx export: `nfx export --help` failed, this build has no export command yet');
  for (const reason of skipped) log(`skipping ${reason}`);

  const dataset = await ensureDataset({nfxBin: NFX_BIN, ratings: opts.ratings, seed: opts.seed, log});
  const workDir = mkdtempSync(join(tmpdir(), 'nfx-bench-work-'));
  const ctx = {nfxBin: NFX_BIN, dataset, workDir, jobs: opts.jobs, warehouse: join(workDir, 'warehouse.duckdb'), pg, csv: null};
  const reference = opts.compare ? buildReference({repo: REPO, ref: opts.compare, log}) : null;
  // the reference build's own warehouse, which its export reads
  const refCtx = reference ? {...ctx, nfxBin: reference.bin, warehouse: join(workDir, 'reference.duckdb')} : null;
  const noPairsCtx = opts.probeCompare ? withoutPairFiles(ctx) : null;
  // its first round's warehouse stays for its export, like this build's
  const noAggCtx = opts.aggregateCompare ? {...ctx, env: {...process.env, NFX_BENCH_NO_AGGREGATES: '1'}, warehouse: join(workDir, 'no-aggregates.duckdb')} : null;
  const info = await machine(pg);
  log(`${dataset.ratings.toLocaleString('en-US')} ratings, ${(dataset.bytes / 1e6).toFixed(1)} MB; ${opts.rounds} round(s); --jobs ${opts.jobs}; ` +
    `${info.cores} cores, node ${info.node}, DuckDB ${info.duckdb}${pg ? `, PostgreSQL ${pg.version}` : ''}; load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  if (info.nfxUncommittedSrcFiles > 0) log(`note: ${info.nfxUncommittedSrcFiles} uncommitted change(s) under src/ and sql/ are in this build`);

  const rounds = [];
  const errors = [];
  let csvSeconds = null;
  const runTransformSide = opts.only === null || opts.only === 'transform';
  const runPgSide = pg !== null && !opts.single;
  const runReports = opts.only === null || opts.only === 'reports';
  const runAppend = opts.only === null || opts.only === 'append';
  let serving = null;
  const measuring = {serverPid: pg?.postmasterPid ?? null, waitQuiet: opts.waitQuiet};
  try {
    for (let round = 1; round <= opts.rounds; round++) {
      const record = {round, loadAverage: loadavg().map((x) => Number(x.toFixed(2)))};
      const firstRound = round === 1;
      // the first round's warehouses stay for the exports; later rounds' are deleted
      const transformIn = async (context, db) => {
        const result = await nfxTransform(context, firstRound ? db : join(workDir, 'transform.duckdb'));
        if (!firstRound) rmSync(join(workDir, 'transform.duckdb'), {force: true});
        return result;
      };
      const contestants = {
        transform: () => transformIn(ctx, ctx.warehouse),
        ...(refCtx ? {transformRef: () => transformIn(refCtx, refCtx.warehouse)} : {}),
        ...(noPairsCtx ? {transformNoPairs: () => nfxTransform(noPairsCtx, join(workDir, 'transform.duckdb')).finally(() => rmSync(join(workDir, 'transform.duckdb'), {force: true}))} : {}),
        ...(noAggCtx ? {transformNoAgg: () => transformIn(noAggCtx, noAggCtx.warehouse)} : {}),
        ...(opts.baselines ? {baselineA: () => baselineA(ctx, join(workDir, 'baseline-a.duckdb'))} : {}),
      };
      if (runTransformSide) {
        for (const name of inTurn(Object.keys(contestants), round)) record[name] = await attempt(name, round, errors, contestants[name], measuring);
      } else if (firstRound) {
        log(`building the warehouse for the ${opts.only} (nfx transform, not reported)`);
        await nfxTransform(ctx, ctx.warehouse);
        if (refCtx) await nfxTransform(refCtx, refCtx.warehouse);
        if (noAggCtx && runPgSide) await nfxTransform(noAggCtx, noAggCtx.warehouse);
      }
      if (runReports) {
        ctx.reportIds ??= await hardestIds(ctx);
        record.reports = await attempt('reports', round, errors, () => nfxReports(ctx), measuring);
      }
      if (runAppend) {
        ctx.append ??= await prepareAppend({nfxBin: NFX_BIN, dataset, workDir, seed: opts.seed, log});
        const appendContestants = {
          appendFull: () => fullOfAll(ctx, join(workDir, 'append-full.duckdb')),
          append: () => appendPart(ctx, join(workDir, 'append.duckdb')),
        };
        for (const name of inTurn(Object.keys(appendContestants), round)) record[name] = await attempt(name, round, errors, appendContestants[name], measuring);
        if (pg && hasExport && record.append) {
          // the incremental export starts from the data set's export, made untimed right before it
          const exportContestants = {
            exportAppendedFull: () => exportAppendedFull(ctx),
            exportIncremental: async () => exportAppendedIncremental(ctx),
          };
          for (const name of inTurn(Object.keys(exportContestants), round)) {
            if (name === 'exportIncremental') await exportBase(ctx);
            record[name] = await attempt(name, round, errors, exportContestants[name], measuring);
          }
          resetServer(ctx);
        }
        for (const name of ['append-full.duckdb', 'append.duckdb']) rmSync(join(workDir, name), {force: true});
      }
      if (runPgSide) {
        if (!ctx.csv && opts.baselines) {
          const csv = await prepareCsv(ctx);
          csvSeconds = csv.seconds;
          ctx.csv = csv;
        }
        const pgContestants = {
          ...(hasExport ? {export: () => nfxExport(ctx)} : {}),
          ...(hasExport && refCtx ? {exportRef: () => nfxExport(refCtx)} : {}),
          ...(hasExport && noAggCtx ? {exportNoAgg: () => nfxExport(noAggCtx)} : {}),
          ...(opts.baselines ? {baselineB: () => baselineB(ctx)} : {}),
        };
        for (const name of inTurn(Object.keys(pgContestants), round)) record[name] = await attempt(name, round, errors, pgContestants[name], measuring);
        // untimed: the loaded schemas go now, so that autovacuum does not work on them during the next
        // round's transform and baseline A
        if (round < opts.rounds) resetServer(ctx);
      }
      rounds.push(record);
      const said = CONTESTANTS.filter((n) => record[n]).map((n) => `${n} ${record[n].wall.toFixed(2)} s`);
      log(`round ${round}/${opts.rounds}: ${said.join(', ')} (load ${record.loadAverage.join(' ')})`);
    }
    if (opts.servingRounds > 0) {
      // baseline B's reset drops the export when it ran last; the questions need one
      if (pg && hasExport && psql(pg.url, ['-c', `SELECT to_regnamespace('${NFX_SCHEMA}') IS NULL`]).trim() === 't') {
        log('exporting the warehouse for the serving stage (nfx export, not reported)');
        await nfxExport(ctx);
      }
      serving = await measureServing({nfxBin: NFX_BIN, warehouse: ctx.warehouse, pg: pg && hasExport ? pg : null, schema: NFX_SCHEMA, rounds: opts.servingRounds, log}).catch((err) => {
        errors.push({round: null, stage: 'serving', message: err instanceof Error ? err.message : String(err)});
        return null;
      });
    }
  } finally {
    reference?.remove();
    if (pg) dropSchemas(ctx);
    if (!opts.keep) rmSync(workDir, {recursive: true, force: true});
    else log(`kept ${workDir} (warehouse.duckdb, CSV parts)`);
  }

  const stages = summarizeStages(rounds, dataset, ctx.csv, opts.jobs);
  const ratioTable = ratios(stages, rounds);
  const factCounts = new Set(rounds.flatMap((r) => [r.transform?.factRatings, r.baselineA?.factRatings]).filter((n) => n !== undefined));
  if (factCounts.size > 1) errors.push({round: null, stage: 'check', message: `nfx and baseline A disagree on fact_ratings rows: ${[...factCounts].join(' vs ')}`});
  const noisy = rounds.flatMap((r) =>
    CONTESTANTS
      .filter((name) => (r[name]?.othersCores ?? 0) > NOISY_CORES)
      .map((name) => `round ${r.round} ${name}: other work kept ${r[name].othersCores} cores busy while it ran; its time is inflated`),
  );
  const appendSummary = ctx.append ? summarizeAppend(rounds, ctx.append.partRatings) : null;
  if (appendSummary && !appendSummary.sameFactRows) errors.push({round: null, stage: 'append', message: 'the append and the full transform of all the files left different fact_ratings counts'});
  const result = {
    date: new Date().toISOString(),
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    ratings: dataset.ratings,
    seed: dataset.seed,
    jobs: opts.jobs,
    rounds: opts.rounds,
    only: opts.only,
    compare: reference ? {ref: reference.ref, commit: reference.commit} : null,
    machine: {...info, loadAverageAtEnd: loadavg().map((x) => Number(x.toFixed(2)))},
    dataset: {
      dir: dataset.dir,
      bytes: dataset.bytes,
      ratingBytes: dataset.ratingBytes,
      cached: dataset.cached,
      generateSeconds: dataset.generateSeconds,
      factCsvBytes: ctx.csv?.bytes ?? null,
      csvDumpSeconds: csvSeconds,
    },
    skipped,
    noisy,
    stages,
    ratios: ratioTable,
    targets: evaluateTargets({ratings: dataset.ratings, stages, ratioTable, resultsDir: opts.results}),
    serving,
    append: appendSummary,
    roundsDetail: rounds,
    errors,
  };
  mkdirSync(opts.results, {recursive: true});
  const day = new Date().toLocaleDateString('sv-SE'); // YYYY-MM-DD, local time
  const file = join(opts.results, `${day}-${dataset.ratings}${opts.only ? `-${opts.only}-only` : ''}.json`);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(result, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);

  process.stdout.write(`\n${renderReport(result)}\n\n`);
  if (serving) process.stdout.write(`${renderServing(serving)}\n\n`);
  if (result.append) process.stdout.write(`${renderAppend(result.append)}\n\n`);

  for (const reason of skipped) process.stdout.write(`skipped: ${reason}\n`);
  for (const note of noisy) process.stdout.write(`noisy: ${note}\n`);
  for (const e of errors) process.stdout.write(`error (round ${e.round ?? '-'}, ${e.stage}): ${e.message.split('\n')[0]}\n`);
  process.stdout.write(`results: ${file}\n`);
  if (errors.length > 0) process.exitCode = 1;
}

main().catch((err) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
