/**
 * Kill anywhere (issue 7): nfx transform and nfx export --target pg are SIGKILLed at moments spread over a
 * whole run and over its final stretch, and after every kill the previous complete result must be there,
 * untouched (or the new one complete, when the kill came after the rename or the swap), and the next run must
 * succeed and leave nothing behind. NFX_RELIABILITY_SEED=<seed> repeats the kill moments of a run;
 * NFX_RELIABILITY_SCALE=<k> runs k times the kills. How kills are timed: kill-schedule.ts.
 */
import {copyFileSync, readFileSync, readdirSync, symlinkSync} from 'node:fs';
import {join} from 'node:path';
import type pg from 'pg';
import {describe, expect, it} from 'vitest';
import {reconciliationMismatch} from '../../src/export/postgres.js';
import type {Checksums} from '../../src/export/warehouse.js';
import {Random} from '../../src/generate/random.js';
import type {CliOptions, CliResult} from '../helpers/cli.js';
import {createTestDatabase, type TestDatabase} from '../helpers/pg.js';
import {sha256} from '../helpers/sha256.js';
import {tempDir} from '../helpers/tmp.js';
import {until} from '../helpers/until.js';
import {advisoryLocks, duckdbChecksums, exportCommand, exportGone, expectLoadOf, pgChecksums} from '../export/cli-export.js';
import {generatedData, generatedWarehouse, schemas} from '../export/warehouses.js';
import {anchorSpans, killPlan, reliabilitySeed, runKilledAfter, runToEnd, StageTally, type Anchor} from './kill-schedule.js';
import {recordFigure, trials} from './record.js';

const KILLS = trials(20);
/** After every few kills a run that is let finish: it must clean up what the kills left. */
const CLEAN_RUN_EVERY = 5;
/** Runs that finish before their kill are checked and tried again with another moment, up to this many runs. */
const MAX_RUNS = KILLS * 3;
const COMMAND = 'npx vitest run test/reliability/kill.test.ts';

/** What a kill test needs to know of a command: how to run it into one of two results, and how to look at the result. */
interface KillSubject<State> {
  /** The log lines kills are timed from: the run's first line, then the start of its final stretch. */
  anchors: Anchor[];
  /** The stages a kill can land in, in the order they run. */
  stages: readonly string[];
  /** The two complete results, when known beforehand; else the reference runs' results are taken as they are. */
  expected?: State[];
  /** The command that makes result 0 or 1, writing its log to `logFile`. */
  command(result: number, logFile: string): [string[], CliOptions];
  /** The stored result once a run has ended and its effects have settled. */
  read(): Promise<State>;
  /** How `state` differs from a complete `result`, or null when it is that result. */
  difference(state: State, result: State): string | null;
  /** Ratings and rejects that `state` lacks (or has beyond) a complete `result`. */
  rowsLost(state: State, result: State): number;
  /** Whether the previous result was left byte for byte (the transform's file), when `after` holds it. */
  untouched?(before: State, after: State): boolean;
  /** What else runs left behind: build files, staging schemas, locks. */
  leftovers(): Promise<string[]>;
  /** Where a killed run was, from its log and whether it had replaced the result. */
  stage(logFile: string, replaced: boolean): string;
}

interface KillFigures {
  seed: number;
  kills: number;
  finishedFirst: number;
  leftBehind: number;
  cleanRuns: number;
  rowsLost: number;
  stages: StageTally;
}

function expectSuccess(result: CliResult, what: string): void {
  expect(result.code, `${what}: ${result.stderr}`).toBe(0);
}

/**
 * Two reference runs (results 0 then 1), then KILLS killed runs, each making the other result than the one
 * stored; after each, the store must hold one of the two complete results. Every CLEAN_RUN_EVERY kills a run
 * is let finish and must leave nothing behind.
 */
async function killTrials<State>(subject: KillSubject<State>, stream: number): Promise<KillFigures> {
  const seed = reliabilitySeed();
  const random = new Random(seed, stream);
  const logs = tempDir('nfx-kill-logs-');
  const reference: State[] = subject.expected ? [...subject.expected] : [];
  let spans = new Map<Anchor, number>();
  let state: State | undefined;
  let holds = 0;
  let cleanRuns = 0;
  const cleanRun = async (result: number, what: string): Promise<void> => {
    const logFile = join(logs, `clean-${cleanRuns++}.log`);
    const run = await runToEnd(...subject.command(result, logFile));
    expectSuccess(run.result, what);
    expect(await subject.leftovers(), `${what} leaves nothing behind`).toEqual([]);
    spans = anchorSpans(logFile, subject.anchors, run.exitedAt);
    state = await subject.read();
    if (reference[result]) expect(subject.difference(state, reference[result]), what).toBeNull();
    holds = result;
  };
  for (const result of [0, 1]) {
    await cleanRun(result, `reference run ${result}`);
    reference[result] ??= state!;
  }
  expect(subject.difference(reference[0], reference[1]), 'the two results differ, so the store tells which run wrote it').not.toBeNull();

  const plan = killPlan(KILLS, subject.anchors, random);
  const stages = new StageTally(subject.stages);
  const figures = {seed, kills: 0, finishedFirst: 0, leftBehind: 0, rowsLost: 0};
  for (let runs = 0; figures.kills < KILLS && runs < MAX_RUNS; runs++) {
    const point = plan[runs] ?? {anchor: plan[runs % plan.length].anchor, fraction: random.nextFloat()};
    const next = 1 - holds;
    const logFile = join(logs, `run-${runs}.log`);
    const delayMs = Math.round(point.fraction * spans.get(point.anchor)!);
    const run = await runKilledAfter(...subject.command(next, logFile), logFile, point.anchor.line, delayMs);
    const moment = `${delayMs} ms after the ${point.anchor.name} line (${Math.round(point.fraction * 100)}% of ${spans.get(point.anchor)} ms; NFX_RELIABILITY_SEED=${seed} ${COMMAND})`;
    const name = run.killed ? `kill ${figures.kills + 1} of ${KILLS}, ${moment}` : `run ${runs}, which finished before its kill ${moment}`;
    if (!run.killed) {
      expectSuccess(run.result, name);
      figures.finishedFirst++;
      spans = anchorSpans(logFile, subject.anchors, run.exitedAt);
    }
    const after = await subject.read();
    const replaced = subject.difference(after, reference[holds]) !== null;
    const expected = replaced ? next : holds;
    figures.rowsLost += subject.rowsLost(after, reference[expected]);
    expect(subject.difference(after, reference[expected]), `${name}: holds neither the previous nor the new result`).toBeNull();
    if (!replaced && subject.untouched) expect(subject.untouched(state!, after), `${name}: the previous result is left byte for byte`).toBe(true);
    if (!run.killed) expect(replaced, `${name}: a finished run replaces the result`).toBe(true);
    [state, holds] = [after, expected];
    if (!run.killed) continue;

    figures.kills++;
    stages.add(subject.stage(logFile, replaced));
    if ((await subject.leftovers()).length > 0) figures.leftBehind++;
    if (figures.kills % CLEAN_RUN_EVERY === 0 || figures.kills === KILLS) await cleanRun(1 - holds, `the run after ${name}`);
  }
  expect(figures.kills, `kills that landed before the run ended (NFX_RELIABILITY_SEED=${seed})`).toBe(KILLS);
  expect(figures.rowsLost).toBe(0);
  return {...figures, cleanRuns: cleanRuns - 2, stages};
}

/** Rows of the fact table and the rejects that `found` lacks or has beyond `expected`. */
function rowsLost(found: Checksums, expected: Checksums): number {
  return (['fact_ratings', 'rejects'] as const).reduce((sum, table) => sum + Math.abs(expected[table].rows - (found[table]?.rows ?? 0)), 0);
}

function detail(figures: KillFigures, leftBehind: string): string {
  return `kill points: ${figures.stages}; ${figures.leftBehind} kills left ${leftBehind} behind, removed by the next run (${figures.cleanRuns} clean runs checked); ${figures.finishedFirst} runs finished before their kill and were tried again; seed ${figures.seed}`;
}

interface Warehouse {
  digest: string;
  checksums: Checksums;
}

/** nfx transform into one DuckDB file, from two generated data sets (the second with rejects of every kind). */
function transformSubject(datasets: string[], dir: string): KillSubject<Warehouse> {
  const db = join(dir, 'netflix.duckdb');
  // what two transforms of the same files agree on: all but the run ids and times in etl_run and source_file
  const data = ({checksums: {etl_run, source_file, ...tables}}: Warehouse) => ({...tables, etl_run: etl_run.rows, source_file: source_file.rows});
  return {
    anchors: [
      {name: 'first', line: /started \(pid/},
      {name: 'last SQL step', line: /sql\/duckdb\/99_/},
    ],
    stages: ['start-up', 'parse', 'star SQL', 'accounting', 'checkpoint + rename', 'after the rename'],
    command: (result, logFile) => [['transform', '--data', datasets[result], '--db', db, '--quiet', '--log-file', logFile], {}],
    // duckdbChecksums opens the file: it must open
    read: async () => ({digest: sha256(db), checksums: await duckdbChecksums(db)}),
    difference(state, result) {
      const [found, want] = [JSON.stringify(data(state)), JSON.stringify(data(result))];
      return found === want ? null : `the warehouse holds ${found}, not ${want}`;
    },
    rowsLost: (state, result) => rowsLost(state.checksums, result.checksums),
    untouched: (before, after) => before.digest === after.digest,
    leftovers: async () => readdirSync(dir).filter((name) => name !== 'netflix.duckdb'),
    stage(logFile, replaced) {
      if (replaced) return 'after the rename';
      const log = readFileSync(logFile, 'utf8');
      if (!log.includes('inputs:')) return 'start-up';
      const step = [...log.matchAll(/sql\/duckdb\/(\d+)_/g)].map((m) => Number(m[1])).at(-1) ?? 0;
      return step < 10 ? 'parse' : step < 80 ? 'star SQL' : step < 99 ? 'accounting' : 'checkpoint + rename';
    },
  };
}

/** nfx export of two warehouses into schema netflix_dw of one database. */
function exportSubject(warehouses: string[], expected: Checksums[], db: TestDatabase, client: pg.Client): KillSubject<Checksums> {
  return {
    anchors: [
      {name: 'first', line: /started \(pid/},
      {name: 'reconciled', line: /reconciled \d+ tables/},
    ],
    stages: ['start-up + prepare', 'load', 'constraints', 'analyze + publish', 'after the swap'],
    command: (result, logFile) => exportCommand(db, warehouses[result], '--quiet', '--log-file', logFile),
    // a complete load holds DuckDB's row counts and checksums, as the export reconciles them
    expected,
    async read() {
      // a COMMIT already sent may still land: look once the server has ended the export's sessions
      expect(await until(exportGone(client)), "the export's connections end").toBe(true);
      expect(await advisoryLocks(client), 'the export lock goes with its connection').toBe(0);
      return pgChecksums(client, 'netflix_dw');
    },
    difference: (state, result) => reconciliationMismatch(result, state),
    rowsLost,
    async leftovers() {
      const others = (await schemas(client)).filter((s) => s !== 'netflix_dw');
      const locks = await advisoryLocks(client);
      return [...others, ...(locks > 0 ? [`${locks} advisory lock(s)`] : [])];
    },
    stage(logFile, replaced) {
      if (replaced) return 'after the swap';
      const log = readFileSync(logFile, 'utf8');
      if (log.includes('reconciled ')) return 'analyze + publish';
      if (log.includes('building keys')) return 'constraints';
      if (log.includes('loading ')) return 'load';
      return 'start-up + prepare';
    },
  };
}

/** A folder of symbolic links to `names` in `data`. */
function folderOf(data: string, names: string[]): string {
  const dir = tempDir('nfx-kill-part-');
  for (const name of names) symlinkSync(join(data, name), join(dir, name));
  return dir;
}

/**
 * nfx transform --append SIGKILLed at random moments, every kill during an append: each trial starts from the
 * same warehouse (a full transform of three rating files, the titles, probe.txt and qualifying.txt), appends the
 * fourth file (which decides the probe and qualifying lines rejected against the three again), and after
 * the kill --db must be that warehouse byte for byte or the complete appended one; a run let finish every
 * CLEAN_RUN_EVERY kills must succeed and leave nothing behind.
 */
async function appendKillTrials(): Promise<KillFigures> {
  const seed = reliabilitySeed();
  const random = new Random(seed, 3);
  const data = await generatedData({ratings: '50000', seed: '5', dirty: true});
  const dir = tempDir('nfx-kill-append-');
  const db = join(dir, 'netflix.duckdb');
  const before = join(tempDir('nfx-kill-before-'), 'before.duckdb');
  // probe.txt and qualifying.txt are loaded first, beside files 1-3: the append of file 4 decides their
  // probe_not_rated and unknown_* lines again, reading them once more
  const all = folderOf(data, ['combined_data_1.txt', 'combined_data_2.txt', 'combined_data_3.txt', 'combined_data_4.txt', 'movie_titles.csv', 'probe.txt', 'qualifying.txt']);
  const logs = tempDir('nfx-kill-logs-');
  const anchors: Anchor[] = [
    {name: 'first', line: /started \(pid/},
    {name: 'last SQL step', line: /sql\/duckdb\/99_/},
  ];
  const args = (logFile: string): [string[], CliOptions] => [['transform', '--append', '--data', all, '--db', db, '--max-reject-rate', '1', '--quiet', '--log-file', logFile], {}];
  const first = await runToEnd(['transform', '--data', folderOf(data, ['combined_data_1.txt', 'combined_data_2.txt', 'combined_data_3.txt', 'movie_titles.csv', 'probe.txt', 'qualifying.txt']), '--db', before, '--max-reject-rate', '1', '--quiet'], {});
  expectSuccess(first.result, 'the first load');
  const digestBefore = sha256(before);
  const appendOnce = async (logFile: string): Promise<Warehouse> => {
    const run = await runToEnd(...args(logFile));
    expectSuccess(run.result, 'a clean append');
    expect(readdirSync(dir), 'a clean append leaves nothing behind').toEqual(['netflix.duckdb']);
    spans = anchorSpans(logFile, anchors, run.exitedAt);
    return {digest: sha256(db), checksums: await duckdbChecksums(db)};
  };
  // what two appends of the same files agree on: all but the run ids and times in etl_run and source_file
  const data_ = ({checksums: {etl_run, source_file, ...tables}}: Warehouse) => JSON.stringify({...tables, etl_run: etl_run.rows, source_file: source_file.rows});
  let spans = new Map<Anchor, number>();
  copyFileSync(before, db);
  const appended = await appendOnce(join(logs, 'reference.log'));
  const plan = killPlan(KILLS, anchors, random);
  const stages = new StageTally(['start-up', 'parse', 'star SQL', 'accounting', 'checkpoint + rename', 'after the rename']);
  const figures = {seed, kills: 0, finishedFirst: 0, leftBehind: 0, rowsLost: 0};
  let cleanRuns = 0;
  for (let runs = 0; figures.kills < KILLS && runs < MAX_RUNS; runs++) {
    const point = plan[runs] ?? {anchor: plan[runs % plan.length].anchor, fraction: random.nextFloat()};
    copyFileSync(before, db);
    const logFile = join(logs, `run-${runs}.log`);
    const delayMs = Math.round(point.fraction * spans.get(point.anchor)!);
    const run = await runKilledAfter(...args(logFile), logFile, point.anchor.line, delayMs);
    const name = `append ${runs}, killed ${delayMs} ms after the ${point.anchor.name} line (NFX_RELIABILITY_SEED=${seed} ${COMMAND})`;
    const untouched = sha256(db) === digestBefore;
    const after: Warehouse | null = untouched ? null : {digest: sha256(db), checksums: await duckdbChecksums(db)};
    if (after) {
      expect(data_(after), `${name}: --db is neither the old warehouse byte for byte nor the complete appended one`).toBe(data_(appended));
      figures.rowsLost += rowsLost(after.checksums, appended.checksums);
    }
    if (!run.killed) {
      expectSuccess(run.result, name);
      expect(untouched, `${name} finished: it replaced --db`).toBe(false);
      figures.finishedFirst++;
      spans = anchorSpans(logFile, anchors, run.exitedAt);
      continue;
    }
    figures.kills++;
    const log = readFileSync(logFile, 'utf8');
    const step = [...log.matchAll(/sql\/duckdb\/(?:append\/)?(\d+)_/g)].map((m) => Number(m[1])).at(-1) ?? 0;
    stages.add(!untouched ? 'after the rename' : !log.includes('inputs:') ? 'start-up' : step < 10 ? 'parse' : step < 80 ? 'star SQL' : step < 99 ? 'accounting' : 'checkpoint + rename');
    if (readdirSync(dir).length > 1) figures.leftBehind++;
    if (figures.kills % CLEAN_RUN_EVERY === 0) {
      copyFileSync(before, db);
      expect(data_(await appendOnce(join(logs, `clean-${cleanRuns++}.log`))), 'the append after a kill').toBe(data_(appended));
    }
  }
  expect(figures.kills, `kills that landed before the append ended (NFX_RELIABILITY_SEED=${seed})`).toBe(KILLS);
  expect(figures.rowsLost).toBe(0);
  return {...figures, cleanRuns, stages};
}

describe('kill anywhere', () => {
  it(`nfx transform SIGKILLed at ${KILLS} moments leaves the previous warehouse (or the new one complete), and the next run cleans up`, {timeout: 60_000 + KILLS * 8_000}, async () => {
    const datasets = await Promise.all([generatedData({ratings: '50000', seed: '3'}), generatedData({ratings: '50000', seed: '5', dirty: true})]);
    const figures = await killTrials(transformSubject(datasets, tempDir('nfx-kill-transform-')), 1);
    recordFigure({
      id: 'kill-transform',
      area: 'Kill anywhere',
      what: 'nfx transform (50k ratings) SIGKILLed at a random moment, half of them in its final stretch',
      tried: figures.kills,
      survived: figures.kills,
      rowsLost: figures.rowsLost,
      detail: detail(figures, 'a build file'),
      command: COMMAND,
    });
  });

  it(`nfx transform --append SIGKILLed at ${KILLS} moments leaves the old warehouse byte for byte (or the appended one complete), and the next run cleans up`, {timeout: 120_000 + KILLS * 25_000}, async () => {
    const figures = await appendKillTrials();
    recordFigure({
      id: 'kill-append',
      area: 'Kill anywhere',
      what: 'nfx transform --append (the 4th of four generated --dirty files, 50k ratings in all, onto a warehouse of the other three with probe.txt and qualifying.txt, whose rejected lines it decides again) SIGKILLed at a random moment, half of them in its final stretch',
      tried: figures.kills,
      survived: figures.kills,
      rowsLost: figures.rowsLost,
      detail: detail(figures, 'a build file'),
      command: COMMAND,
    });
  });

  it(`nfx export --target pg SIGKILLed at ${KILLS} moments leaves the previous load (or the new one complete), and the next export cleans up`, {timeout: 60_000 + KILLS * 10_000}, async () => {
    const warehouses = await Promise.all([generatedWarehouse({ratings: '100000', seed: '3'}), generatedWarehouse({ratings: '100000', seed: '5', dirty: true})]);
    const expected = await Promise.all(warehouses.map((w) => duckdbChecksums(w)));
    const db = await createTestDatabase();
    const client = await db.connect();
    const figures = await killTrials(exportSubject(warehouses, expected, db, client), 2);
    // the last load row for row, and as nfx verify sees it
    const loaded = await pgChecksums(client, 'netflix_dw');
    const last = expected.findIndex((w) => reconciliationMismatch(w, loaded) === null);
    await expectLoadOf(client, warehouses[last]);
    const verify = await runToEnd(['verify', '--target', 'pg', '--db', warehouses[last], '--url', db.url], {env: {DATABASE_URL: undefined}});
    expectSuccess(verify.result, 'nfx verify after the last export');
    recordFigure({
      id: 'kill-export',
      area: 'Kill anywhere',
      what: 'nfx export --target pg (100k ratings) SIGKILLed at a random moment, half of them in its final stretch',
      tried: figures.kills,
      survived: figures.kills,
      rowsLost: figures.rowsLost,
      detail: detail(figures, 'a staging or retired schema'),
      command: COMMAND,
    });
  });
});
