/**
 * Crashed exports (issue 17): the real CLI export is SIGKILLed while PostgreSQL shows it copying, building an
 * index or validating a foreign key, and the same export is started again 2 s later. The rerun must exit 0 and
 * publish the complete new load, and no backend of the killed run may remain: the server ends a dead client's
 * work within seconds (client_connection_check_interval, PostgreSQL 14+), and the rerun waits for that
 * instead of failing on the dead run's lock. A live export is still refused at once, or queued with --wait.
 */
import type {ChildProcess} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import type pg from 'pg';
import {beforeAll, describe, expect, it} from 'vitest';
import {reconciliationMismatch, type PgExportSummary} from '../../src/export/postgres.js';
import type {Checksums} from '../../src/export/warehouse.js';
import {runNfx, type CliResult} from '../helpers/cli.js';
import {createTestDatabase, testServer, type TestDatabase} from '../helpers/pg.js';
import {tempDir} from '../helpers/tmp.js';
import {until} from '../helpers/until.js';
import {advisoryLocks, buildingConstraints, copyingFacts, duckdbChecksums, EXPORT_APPLICATION, exportCommand, exportTo, expectUsageError, loggedSpanMs, pgChecksums, TAKING_LOCK} from '../export/cli-export.js';
import {generatedWarehouse, schemas} from '../export/warehouses.js';
import {recordFigure} from './record.js';

const COMMAND = 'npx vitest run test/reliability/crashed-export.test.ts';
/** The issue's moment: the user runs the same command again right after the crash. */
const RERUN_AFTER_MS = 2000;
/** client_connection_check_interval is 1 s: a dead client's statement is cancelled within about that. */
const BACKENDS_GONE_WITHIN_MS = 3000;

let previous: {warehouse: string; checksums: Checksums}; // 5k ratings: the load in place when the crash happens
let next: {warehouse: string; checksums: Checksums}; // the load being exported: phases long enough to be caught

beforeAll(async () => {
  const [small, big] = await Promise.all([generatedWarehouse({ratings: '5000', seed: '9'}), generatedWarehouse({ratings: '3000000', seed: '4'})]);
  previous = {warehouse: small, checksums: await duckdbChecksums(small)};
  next = {warehouse: big, checksums: await duckdbChecksums(big)};
}, 120_000);

/** The export's backends, parallel workers included, by pid. */
async function exportBackends(client: pg.Client): Promise<number[]> {
  const {rows} = await client.query<{pid: number}>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1', [EXPORT_APPLICATION]);
  return rows.map((r) => r.pid);
}

/** Which of `pids` still have a backend. */
async function remaining(client: pg.Client, pids: number[]): Promise<number[]> {
  const {rows} = await client.query<{pid: number}>('SELECT pid FROM pg_stat_activity WHERE pid = ANY($1::int[])', [pids]);
  return rows.map((r) => r.pid);
}

/** An export connection is validating a foreign key (sql/postgres/27_fact_foreign_keys.sql). */
const validatingForeignKeys = (client: pg.Client) => async () =>
  (
    await client.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND state = 'active' AND query ~ 'FOREIGN KEY'",
      [EXPORT_APPLICATION],
    )
  ).rows[0].n > 0;

/** An export connection is building an index (not a constraint). */
const buildingIndex = (client: pg.Client) => async () =>
  (
    await client.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND state = 'active' AND query ~* 'CREATE (UNIQUE )?INDEX '",
      [EXPORT_APPLICATION],
    )
  ).rows[0].n > 0;

const MOMENTS = {
  'the COPY of fact_ratings': copyingFacts,
  'an index build': buildingIndex,
  'foreign-key validation': validatingForeignKeys,
} as const;
type Moment = keyof typeof MOMENTS;

interface CrashTrial {
  moment: Moment;
  /** From the kill to the moment the last backend of the killed run was gone. */
  backendsGoneMs: number;
  /** From the kill to the rerun's successful exit. */
  rerunDoneMs: number;
  /** The rerun's own export, start-up aside (its --json seconds). */
  rerunExportS: number;
  killedBackends: number;
  rerunWaited: boolean;
}

/**
 * In a database of its own holding `previous`, an export of `next` is run until `moment`, then sent `signal`;
 * returns its result and the pids of its backends at that moment.
 */
async function signalledAt(moment: Moment, signal: NodeJS.Signals): Promise<{db: TestDatabase; client: pg.Client; pids: number[]; result: Promise<CliResult>}> {
  const db = await createTestDatabase();
  const client = await db.connect();
  expect((await exportTo(db, previous.warehouse, '--quiet')).code).toBe(0);
  let child: ChildProcess | undefined;
  const [args, options] = exportCommand(db, next.warehouse, '--quiet');
  const result = runNfx(args, {...options, onSpawn: (c) => (child = c)});
  expect(await until(MOMENTS[moment](client), 60_000), `the export reaches ${moment}`).toBe(true);
  const pids = await exportBackends(client);
  child!.kill(signal);
  return {db, client, pids, result};
}

/**
 * netflix_dw holds `previous`; an export of `next` is SIGKILLed at `moment`, and run again RERUN_AFTER_MS later.
 */
async function crashTrial(moment: Moment): Promise<CrashTrial> {
  const {db, client, pids, result: killed} = await signalledAt(moment, 'SIGKILL');
  const killedAt = Date.now();
  expect((await killed).signal).toBe('SIGKILL');

  let backendsGoneMs = -1;
  const watch = (async () => {
    await until(async () => (await remaining(client, pids)).length === 0, 60_000);
    backendsGoneMs = Date.now() - killedAt;
  })();
  await new Promise((resolve) => setTimeout(resolve, RERUN_AFTER_MS - (Date.now() - killedAt)));
  const logFile = join(tempDir('nfx-crash-log-'), 'rerun.log');
  const rerun = await exportTo(db, next.warehouse, '--json', '--log-file', logFile);
  const rerunDoneMs = Date.now() - killedAt;
  expect(rerun.code, `the rerun after a kill during ${moment}: ${rerun.stderr}`).toBe(0);
  await watch;
  expect(await remaining(client, pids), 'no backend of the killed run remains').toEqual([]);
  // the server's doing, not the rerun's: client_connection_check_interval ends a dead client's statement
  if (testServer().versionNum >= 140000) expect(backendsGoneMs, "the killed run's backends end within seconds").toBeLessThan(BACKENDS_GONE_WITHIN_MS);
  expect(reconciliationMismatch(next.checksums, await pgChecksums(client, 'netflix_dw')), 'the complete new load is published').toBeNull();
  expect(await schemas(client), 'no staging schema is left').toEqual(['netflix_dw']);
  expect(await advisoryLocks(client)).toBe(0);
  await db.drop();
  return {moment, backendsGoneMs, rerunDoneMs, rerunExportS: rerun.json<PgExportSummary>().seconds, killedBackends: pids.length, rerunWaited: /is gone; waiting up to|whose client is gone to end/.test(readFileSync(logFile, 'utf8'))};
}

describe('a crashed export does not block the next one', () => {
  const trials: CrashTrial[] = [];

  for (const moment of Object.keys(MOMENTS) as Moment[]) {
    it(`SIGKILL during ${moment}: the same export 2 s later exits 0, publishes the whole new load, and no backend of the killed run remains`, {timeout: 120_000}, async () => {
      trials.push(await crashTrial(moment));
    });
  }

  // the checksum scan of the reconciliation runs beside the foreign-key validation, so the second covers it too
  const INTERRUPTS: [NodeJS.Signals, Moment, number][] = [
    ['SIGTERM', 'an index build', 143],
    ['SIGINT', 'foreign-key validation', 130],
  ];
  for (const [signal, moment, code] of INTERRUPTS) {
    it(`${signal} during ${moment} cancels the server work before nfx exits, and drops the staging schema`, {timeout: 120_000}, async () => {
      const {db, client, pids, result: running} = await signalledAt(moment, signal);
      const result = await running;
      expect(result.code, result.stderr).toBe(code);
      expect(result.stderr).toMatch(new RegExp(`nfx: interrupted by ${signal} while .*; schema "netflix_dw" is left as it was`));
      // gone when nfx has exited, not seconds later
      expect(await remaining(client, pids)).toEqual([]);
      expect(await schemas(client)).toEqual(['netflix_dw']);
      expect(reconciliationMismatch(previous.checksums, await pgChecksums(client, 'netflix_dw'))).toBeNull();
      await db.drop();
    });
  }

  it('a live export holding the lock still refuses a second one at once, and --wait queues behind it', {timeout: 120_000}, async () => {
    const db = await createTestDatabase();
    const client = await db.connect();
    const first = exportTo(db, next.warehouse, '--quiet');
    expect(await until(buildingConstraints(client), 60_000)).toBe(true);
    const logFile = join(tempDir('nfx-crash-log-'), 'second.log');
    const second = await exportTo(db, previous.warehouse, '--quiet', '--log-file', logFile);
    expectUsageError(second, /^nfx: error: another nfx export into schema "netflix_dw" is running \(PostgreSQL backend pid \d+, connected since .*\); wait for it to finish, or run with --wait to queue behind it$/m);
    // at once: no wait for a live holder (timed from its attempt at the lock: start-up on a loaded machine varies by seconds)
    expect(loggedSpanMs(logFile, TAKING_LOCK)).toBeLessThan(3000);
    const queued = exportTo(db, previous.warehouse, '--quiet', '--wait');
    expect((await first).code).toBe(0);
    const third = await queued;
    expect(third.code, third.stderr).toBe(0);
    expect(reconciliationMismatch(previous.checksums, await pgChecksums(client, 'netflix_dw'))).toBeNull();
  });

  it('records the figures', () => {
    expect(trials).toHaveLength(Object.keys(MOMENTS).length);
    const most = (key: 'backendsGoneMs' | 'rerunDoneMs') => (Math.max(...trials.map((t) => t[key])) / 1000).toFixed(1);
    recordFigure({
      id: 'crashed-export-rerun',
      area: 'Kill anywhere',
      what: `nfx export --target pg (3M ratings) SIGKILLed mid-COPY, mid-index build and mid-foreign-key validation, the same export run again ${RERUN_AFTER_MS / 1000} s later`,
      tried: trials.length,
      survived: trials.length,
      rowsLost: 0,
      detail: `every rerun exit 0 with the complete new load, no backend of the killed run left; the killed run's backends gone at most ${most('backendsGoneMs')} s after the kill, the rerun done at most ${most('rerunDoneMs')} s after it; ${trials
        .map((t) => `${t.moment}: ${t.killedBackends} backends gone after ${(t.backendsGoneMs / 1000).toFixed(1)} s, rerun done after ${(t.rerunDoneMs / 1000).toFixed(1)} s (its export ${t.rerunExportS.toFixed(1)} s)${t.rerunWaited ? ' (it waited for the dead run)' : ''}`)
        .join('; ')}`,
      command: COMMAND,
    });
  });
});
