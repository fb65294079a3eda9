import type {ChildProcess} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {readdirSync, writeFileSync} from 'node:fs';
import {createServer, type Server} from 'node:net';
import {join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import type {PgExportSummary} from '../../src/export/postgres.js';
import type {FileExportSummary} from '../../src/export/files.js';
import {EXPORT_TABLES} from '../../src/export/tables.js';
import {runNfx} from '../helpers/cli.js';
import {queryDuckDB} from '../helpers/duckdb.js';
import {schemaNames} from '../../src/export/publish.js';
import {createTestDatabase} from '../helpers/pg.js';
import {tempDir} from '../helpers/tmp.js';
import {freePort} from '../helpers/ports.js';
import {until} from '../helpers/until.js';
import {copyingFacts, exportGone, exportTo, expectLoadOf, expectUsageError} from '../export/cli-export.js';
import {generatedWarehouse, schemas} from '../export/warehouses.js';

let small: string; // 5k ratings: a quick previous load
let big: string; // 600k ratings: a COPY long enough to interrupt

beforeAll(async () => {
  [small, big] = await Promise.all([generatedWarehouse({ratings: '5000', seed: '9', dirty: true}), generatedWarehouse({ratings: '600000', seed: '4'})]);
});

describe('nfx export --target pg (CLI)', () => {
  it('prints a per-table summary, and --json gives the same as one object (connection from a .env file)', async () => {
    const db = await createTestDatabase();
    const human = await exportTo(db, small);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/exported .* -> schema "netflix_dw" on 127\.0\.0\.1:\d+\/nfx_test_\w+ in /);
    expect(human.stdout).toMatch(/fact_ratings\s+5,000 rows .* rows\/s/);
    expect(human.stdout).toMatch(/reconciled: row counts and checksums of all 8 tables equal DuckDB's/);
    expect(human.stderr).toMatch(/fact_ratings \[#+\] 100%/);
    const dir = tempDir();
    writeFileSync(join(dir, '.env'), `DATABASE_URL=${db.url}\n`);
    const json = await runNfx(['export', '--db', small, '--json', '--jobs', '1'], {cwd: dir, env: {DATABASE_URL: undefined}});
    expect(json.code, json.stderr).toBe(0);
    const summary = json.json<PgExportSummary>();
    expect(summary).toMatchObject({schema: 'netflix_dw', jobs: 1, replacedPrevious: true, connection: 'DATABASE_URL'});
    expect(summary.tables.map((t) => t.table).sort()).toEqual(EXPORT_TABLES.map((t) => t.name).sort());
    expect(summary.tables.find((t) => t.table === 'fact_ratings')).toMatchObject({rows: 5000, freeze: true, streams: 1});
    expect(Object.keys(summary.phases)).toEqual(['prepare', 'load', 'constraints', 'reconcile', 'analyze', 'publish']);
    expect(json.stderr).toBe('');
  });

  it('leaves the previous load readable and complete when killed mid-COPY, and the next export cleans up', async () => {
    const db = await createTestDatabase();
    const client = await db.connect();
    expect((await exportTo(db, small, '--quiet')).code).toBe(0);
    let child: ChildProcess | undefined;
    const running = runNfx(['export', '--db', big, '--url', db.url, '--quiet'], {onSpawn: (c) => (child = c), env: {DATABASE_URL: undefined}});
    expect(await until(copyingFacts(client))).toBe(true);
    child!.kill('SIGKILL');
    expect((await running).signal).toBe('SIGKILL');
    await expectLoadOf(client, small);
    expect(await until(exportGone(client))).toBe(true);
    expect((await schemas(client)).some((s) => s.startsWith('nfx_staging_'))).toBe(true);
    const next = await exportTo(db, small, '--json');
    expect(next.code, next.stderr).toBe(0);
    expect(next.json<PgExportSummary>().removedLeftovers).toEqual([expect.stringMatching(/^nfx_staging_/)]);
    expect(await schemas(client)).toEqual(['netflix_dw']);
  });

  it('stops on Ctrl-C (SIGINT) mid-COPY with exit 130, dropping its staging schema at once', async () => {
    const db = await createTestDatabase();
    const client = await db.connect();
    expect((await exportTo(db, small, '--quiet')).code).toBe(0);
    let child: ChildProcess | undefined;
    const running = runNfx(['export', '--db', big, '--url', db.url, '--quiet'], {onSpawn: (c) => (child = c), env: {DATABASE_URL: undefined}});
    expect(await until(copyingFacts(client))).toBe(true);
    child!.kill('SIGINT');
    const result = await running;
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/nfx: interrupted by SIGINT while loading the tables; schema "netflix_dw" is left as it was/);
    expect(await schemas(client)).toEqual(['netflix_dw']);
    await expectLoadOf(client, small);
  });

  it('fails with exit 2 when its connections are terminated mid-load, and publishes nothing', async () => {
    const db = await createTestDatabase();
    const client = await db.connect();
    expect((await exportTo(db, small, '--quiet')).code).toBe(0);
    const running = exportTo(db, big, '--quiet');
    expect(await until(copyingFacts(client))).toBe(true);
    await client.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'nfx export'");
    const result = await running;
    expectUsageError(result, /the connection to PostgreSQL at .* was closed during loading the tables \(.*\); nothing was published and schema "netflix_dw" is as it was; run the export again/);
    await expectLoadOf(client, small);
    expect(await until(exportGone(client))).toBe(true);
    const next = await exportTo(db, small, '--quiet');
    expect(next.code, next.stderr).toBe(0);
    expect(await schemas(client)).toEqual(['netflix_dw']);
  });

  it('lets one export into a schema run at a time: the second fails at once, or waits with --wait', async () => {
    const db = await createTestDatabase();
    const holder = await db.connect();
    // this connection plays an export in progress: it holds that export's advisory lock
    await holder.query('SELECT pg_advisory_lock($1, $2)', schemaNames('netflix_dw').lockKeys);
    const pid = (await holder.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    const second = await exportTo(db, small, '--quiet');
    expectUsageError(second, new RegExp(`another nfx export into schema "netflix_dw" is running \\(PostgreSQL backend pid ${pid}, connected since .*\\); wait for it to finish, or run with --wait`));
    // another schema is not blocked
    expect((await exportTo(db, small, '--schema', 'other', '--quiet')).code).toBe(0);
    const queued = exportTo(db, small, '--wait');
    const waiting = async () =>
      (await holder.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")).rows[0].n > 0;
    expect(await until(waiting)).toBe(true);
    await holder.query('SELECT pg_advisory_unlock_all()');
    const third = await queued;
    expect(third.code, third.stderr).toBe(0);
    expect(third.stderr).toMatch(/waiting for the other nfx export into schema "netflix_dw" to finish/);
    await expectLoadOf(holder, small);
  });
});

describe('nfx export errors (CLI)', () => {
  const secret = `pw-${randomBytes(6).toString('hex')}`;

  it('refuses a missing DuckDB file in one line, exit code 2', async () => {
    expectUsageError(await runNfx(['export', '--db', join(tempDir(), 'none.duckdb'), '--url', 'postgres://h/db']), /^nfx: error: DuckDB file not found: .*none\.duckdb; build it with nfx transform or pass --db FILE$/m);
    expectUsageError(await runNfx(['export', '--db', small, '--target', 'parquet']), /--target parquet needs --out DIR/);
  });

  it('says what to fix for an unreachable server, without printing the password (--url, DATABASE_URL, --json)', async () => {
    const port = await freePort();
    const url = `postgres://alice:${secret}@127.0.0.1:${port}/netflix`;
    const refused = /cannot connect to PostgreSQL at 127\.0\.0\.1:\d+\/netflix: connection refused; is the server running/;
    expectUsageError(await runNfx(['export', '--db', small, '--url', url]), refused, secret);
    const json = await runNfx(['export', '--db', small, '--json'], {env: {DATABASE_URL: url}});
    expectUsageError(json, refused, secret);
    expect(json.json<{error: {message: string; exitCode: number}}>().error).toMatchObject({exitCode: 2, message: expect.stringMatching(refused)});
  });

  it('reports a rejected password without printing it', async () => {
    const server = await fakeServerRejectingPasswords();
    try {
      const port = (server.address() as {port: number}).port;
      const result = await runNfx(['export', '--db', small, '--url', `postgres://alice:${secret}@127.0.0.1:${port}/netflix`]);
      expectUsageError(result, /PostgreSQL at 127\.0\.0\.1:\d+\/netflix rejected the password: password authentication failed for user "alice"; fix the password/, secret);
    } finally {
      server.close();
    }
  });

});

describe('nfx export --target parquet (CLI)', () => {
  it('writes one Parquet file per table, the facts partitioned by year, and reports it as JSON', async () => {
    const out = join(tempDir(), 'parquet');
    const result = await runNfx(['export', '--db', small, '--target', 'parquet', '--out', out, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const summary = result.json<FileExportSummary>();
    expect(readdirSync(out).sort()).toEqual([...EXPORT_TABLES.map((t) => (t.name === 'fact_ratings' ? t.name : `${t.name}.parquet`)), '_nfx_export.json'].sort());
    expect(readdirSync(join(out, 'fact_ratings')).every((d) => /^year=\d{4}$/.test(d))).toBe(true);
    for (const table of EXPORT_TABLES) {
      const path = table.name === 'fact_ratings' ? `${join(out, 'fact_ratings')}/**/*.parquet` : join(out, `${table.name}.parquet`);
      const [files] = await queryDuckDB(small, `SELECT count(*) AS n FROM read_parquet('${path}', hive_partitioning = true)`);
      const [warehouse] = await queryDuckDB(small, `SELECT count(*) AS n FROM ${table.name}`);
      expect(files.n, table.name).toBe(warehouse.n);
      expect(summary.tables.find((t) => t.table === table.name)?.rows).toBe(Number(warehouse.n));
    }
  });
});

/**
 * Speaks just enough of the PostgreSQL protocol to refuse a password: no TLS ('N'), a cleartext password
 * request, then FATAL 28P01 as a real server sends it.
 */
async function fakeServerRejectingPasswords(): Promise<Server> {
  const server = createServer((socket) => {
    socket.on('data', (data: Buffer) => {
      if (data.length === 8 && data.readInt32BE(4) === 80877103) {
        socket.write('N');
      } else if (data[0] === 0x70) {
        const fields = ['SFATAL', 'VFATAL', 'C28P01', 'Mpassword authentication failed for user "alice"'].map((f) => Buffer.from(`${f}\0`));
        const body = Buffer.concat([...fields, Buffer.from([0])]);
        const header = Buffer.alloc(5);
        header.write('E');
        header.writeInt32BE(body.length + 4, 1);
        socket.end(Buffer.concat([header, body]));
      } else {
        socket.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3])); // AuthenticationCleartextPassword
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
