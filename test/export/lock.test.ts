/**
 * The export lock when its holder is dead (issue 17). A connection of the test plays the backend of a killed
 * export: it carries the export's application_name, holds the target's advisory lock and runs a statement naming
 * the staging schema, whose comment names an nfx process that has exited. PostgreSQL, the CLI and the lock are
 * real; what real kills do is in test/reliability/crashed-export.test.ts.
 */
import {spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {hostname} from 'node:os';
import {join} from 'node:path';
import pg from 'pg';
import {beforeAll, describe, expect, it} from 'vitest';
import {schemaNames} from '../../src/export/publish.js';
import {deadRun, lockRefusal, stagingComment, stagingCreator, type TargetActivity} from '../../src/export/target-lock.js';
import {createTestDatabase, type TestDatabase} from '../helpers/pg.js';
import {tempDir} from '../helpers/tmp.js';
import {until} from '../helpers/until.js';
import {EXPORT_APPLICATION, exportTo, expectUsageError, loggedSpanMs, TAKING_LOCK} from './cli-export.js';
import {generatedWarehouse, schemas} from './warehouses.js';

const names = schemaNames('netflix_dw');
let small: string;

beforeAll(async () => {
  small = await generatedWarehouse({ratings: '5000', seed: '9'});
});

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

/**
 * A stand-in for the backend of an export whose nfx process is `pid`: takes the lock, writes the staging
 * schema's comment, then runs pg_sleep(seconds) in a statement naming the staging schema, and disconnects
 * after it, as a backend whose client is gone does. `holdsLock` false: a lane of that export, without the lock.
 */
async function exportBackend(db: TestDatabase, pid: number, seconds: number, holdsLock = true): Promise<{backendPid: number; done: Promise<void>}> {
  const client = new pg.Client({connectionString: db.url, application_name: EXPORT_APPLICATION});
  await client.connect();
  if (holdsLock) await client.query('SELECT pg_advisory_lock($1, $2)', names.lockKeys);
  const backendPid = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
  await client.query(`CREATE SCHEMA ${client.escapeIdentifier(names.staging)}`);
  await client.query(`COMMENT ON SCHEMA ${client.escapeIdentifier(names.staging)} IS ${client.escapeLiteral(stagingComment('netflix_dw', backendPid, hostname(), pid))}`);
  const done = client
    .query(`SELECT pg_sleep($1), ${client.escapeLiteral(names.staging)} AS building_in`, [seconds])
    .catch(() => undefined)
    .then(() => client.end());
  return {backendPid, done};
}

/** The export's --log-file holds a line matching `line` (polled: the export is running). */
const logged = (logFile: string, line: RegExp) => async () => line.test(readFileSync(logFile, {encoding: 'utf8', flag: 'a+'}));

describe('the export lock held by a dead export', () => {
  it('is waited for while the server ends the dead run, and the export then succeeds and removes its staging schema', async () => {
    const db = await createTestDatabase();
    const client = await db.connect();
    const holder = await exportBackend(db, await deadPid(), 60);
    const logFile = join(tempDir(), 'export.log');
    const running = exportTo(db, small, '--quiet', '--log-file', logFile);
    expect(await until(logged(logFile, /the lock of schema "netflix_dw" is held by an export whose nfx process \(pid \d+\) is gone; waiting up to 10 s/), 30_000)).toBe(true);
    // the server ends the dead run's statement, as client_connection_check_interval makes it do
    await client.query('SELECT pg_cancel_backend($1)', [holder.backendPid]);
    const result = await running;
    expect(result.code, result.stderr).toBe(0);
    await holder.done;
    expect(await schemas(client)).toEqual(['netflix_dw']);
  });

  it('is refused after the bounded wait when the dead run\'s statement goes on, in one line saying so', {timeout: 60_000}, async () => {
    const db = await createTestDatabase();
    const client = await db.connect();
    const holder = await exportBackend(db, await deadPid(), 60);
    const logFile = join(tempDir(), 'export.log');
    const result = await exportTo(db, small, '--quiet', '--log-file', logFile);
    expect(loggedSpanMs(logFile, TAKING_LOCK)).toBeGreaterThanOrEqual(10_000);
    expectUsageError(
      result,
      new RegExp(
        `^nfx: error: the nfx export into schema "netflix_dw" that holds its lock \\(PostgreSQL backend pid ${holder.backendPid}, connected since .*\\) is gone \\(its process \\d+ on .* no longer exists\\), but PostgreSQL [\\d.]+ is still running its statement \\(SELECT pg_sleep.*, for \\d+ s\\) and keeps the lock until that ends; run the export again then, or run with --wait to queue behind it$`,
        'm',
      ),
    );
    await client.query('SELECT pg_cancel_backend($1)', [holder.backendPid]);
    await holder.done;
  });

  it('is not taken from a live export: refused at once with the usual line', async () => {
    const db = await createTestDatabase();
    const client = await db.connect();
    // the test process plays the live nfx process
    const holder = await exportBackend(db, process.pid, 60);
    const logFile = join(tempDir(), 'export.log');
    const result = await exportTo(db, small, '--quiet', '--log-file', logFile);
    expectUsageError(result, /^nfx: error: another nfx export into schema "netflix_dw" is running \(PostgreSQL backend pid \d+, connected since .*\); wait for it to finish, or run with --wait to queue behind it$/m);
    // at once: well inside the 10 s a dead holder is given
    expect(loggedSpanMs(logFile, TAKING_LOCK)).toBeLessThan(3000);
    await client.query('SELECT pg_cancel_backend($1)', [holder.backendPid]);
    await holder.done;
  });

  it('waits, with the lock free, for a dead run\'s backends still working in the staging schema', async () => {
    const db = await createTestDatabase();
    const client = await db.connect();
    const lane = await exportBackend(db, await deadPid(), 60, false);
    const logFile = join(tempDir(), 'export.log');
    const running = exportTo(db, small, '--quiet', '--log-file', logFile);
    const waiting = new RegExp(`waiting for 1 backend\\(s\\) of an earlier export into schema "netflix_dw" whose client is gone to end \\(pids ${lane.backendPid}\\)`);
    expect(await until(logged(logFile, waiting), 30_000)).toBe(true);
    await client.query('SELECT pg_cancel_backend($1)', [lane.backendPid]);
    const result = await running;
    expect(result.code, result.stderr).toBe(0);
    await lane.done;
    expect(await schemas(client)).toEqual(['netflix_dw']);
  });
});

describe('telling a dead export from a live one', () => {
  const activity = (version: number, comment: string | null, statementSeconds: number | null = 42): TargetActivity => ({
    backends: [{pid: 17422, holdsLock: true, inTargetSchemas: statementSeconds !== null, since: new Date('2026-12-03T05:00:00Z'), statementSeconds, statement: statementSeconds === null ? null : '-- why\nCREATE INDEX fact_ratings_date_key_idx ON "nfx_staging_x".fact_ratings (date_key);'}],
    stagingComment: comment,
    serverVersion: {num: version, text: version >= 140000 ? '15.18' : '13.16'},
  });
  const alive = (pid: number) => pid === 1234;

  it('reads the host and pid back from the staging comment, whatever the schema is called', () => {
    expect(stagingCreator(stagingComment('a) in progress (b pid 1, c', 17, 'box', 4321))).toEqual({host: 'box', pid: 4321, backend: 17});
    expect(stagingCreator('a comment of someone else')).toBeNull();
    expect(stagingCreator(null)).toBeNull();
  });

  it('calls a holder dead only when it runs in the staging schema, the comment names it, and its nfx process on this machine is gone', () => {
    expect(deadRun(activity(150000, stagingComment('netflix_dw', 17422, 'box', 99)), 'box', alive)).toEqual({host: 'box', pid: 99});
    expect(deadRun(activity(150000, stagingComment('netflix_dw', 17422, 'box', 1234)), 'box', alive), 'process alive').toBeNull();
    expect(deadRun(activity(150000, stagingComment('netflix_dw', 17422, 'other', 99)), 'box', alive), 'another machine').toBeNull();
    expect(deadRun(activity(150000, stagingComment('netflix_dw', 17422, 'box', 99), null), 'box', alive), 'not running a statement there').toBeNull();
    expect(deadRun(activity(150000, stagingComment('netflix_dw', 999, 'box', 99)), 'box', alive), "an earlier run's comment, not yet replaced").toBeNull();
  });

  it('says on a server before 14 that the holder\'s client may be gone, and how long its statement has run', () => {
    const line = lockRefusal(names, activity(130016, null), null).message;
    expect(line).toBe(
      'another nfx export into schema "netflix_dw" is running (PostgreSQL backend pid 17422, connected since 2026-12-03T05:00:00.000Z); its client may be gone: PostgreSQL 13.16 notices that only when the statement ends, which has run for 42 s; wait for it to finish, or run with --wait to queue behind it',
    );
    const dead = lockRefusal(names, activity(130016, stagingComment('netflix_dw', 17422, 'box', 99)), {host: 'box', pid: 99}).message;
    expect(dead).toMatch(/is gone \(its process 99 on box no longer exists\), but PostgreSQL 13\.16 is still running its statement \(CREATE INDEX fact_ratings_date_key_idx ON .*, for 42 s\) and keeps the lock until that ends/);
  });
});
