import type {ChildProcess} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {readdirSync, writeFileSync} from 'node:fs';
import {createServer, type Server} from 'node:net';
import {userInfo} from 'node:os';
import {join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import type {PgExportSummary} from '../../src/export/postgres.js';
import type {FileExportSummary} from '../../src/export/files.js';
import {EXPORT_TABLES} from '../../src/export/tables.js';
import {runNfx} from '../helpers/cli.js';
import {queryDuckDB} from '../helpers/duckdb.js';
import {schemaNames} from '../../src/export/publish.js';
import {createTestDatabase, testHostPattern} from '../helpers/pg.js';
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
    expect(human.stdout).toMatch(new RegExp(`exported .* -> schema "netflix_dw" on ${testHostPattern()}:\\d+/nfx_test_\\w+ in `));
    expect(human.stdout).toMatch(/fact_ratings\s+5,000 rows .* rows\/s/);
    expect(human.stdout).toMatch(/reconciled: row counts and checksums of all 12 tables equal DuckDB's/);
    expect(human.stderr).toMatch(/fact_ratings \[#+\] 100%/);
    const dir = tempDir();
    writeFileSync(join(dir, '.env'), `DATABASE_URL=${db.url}\n`);
    // the schema holds this warehouse now: without --full the export would be incremental (test/export/incremental.test.ts)
    const json = await runNfx(['export', '--db', small, '--json', '--jobs', '1', '--full'], {cwd: dir, env: {DATABASE_URL: undefined}});
    expect(json.code, json.stderr).toBe(0);
    const summary = json.json<PgExportSummary>();
    expect(summary).toMatchObject({mode: 'full', fullReason: '--full', schema: 'netflix_dw', jobs: 1, replacedPrevious: true, connection: 'DATABASE_URL'});
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

  it('refuses to replace a schema nfx did not create: public unless empty and --replace-empty-schema, which keeps its owner and privileges', async () => {
    const db = await createTestDatabase();
    const client = await db.connect();
    const publicSchema = async () =>
      (await client.query("SELECT pg_get_userbyid(nspowner) AS owner, obj_description(oid, 'pg_namespace') AS comment, nspacl::text AS acl FROM pg_namespace WHERE nspname = 'public'")).rows[0];
    const before = await publicSchema();
    const refused = await runNfx(['export', '--db', small, '--url', db.url, '--schema', 'public']);
    expectUsageError(
      refused,
      new RegExp(`^nfx: error: schema "public" exists and was not created by nfx export \\(owner ${before.owner}\\); it is empty, but an export replaces the whole schema and its comment: pass --replace-empty-schema to export into it anyway`),
    );
    expect(await publicSchema()).toEqual(before);

    const taken = await runNfx(['export', '--db', small, '--url', db.url, '--schema', 'public', '--replace-empty-schema', '--quiet']);
    expect(taken.code, taken.stderr).toBe(0);
    const after = await publicSchema();
    expect(after).toMatchObject({owner: before.owner, acl: before.acl});
    expect(after.comment).toMatch(/^nfx \S+ export of /);
    // from now on public holds an nfx export: a plain export replaces it, still keeping the owner
    expect((await runNfx(['export', '--db', small, '--url', db.url, '--schema', 'public', '--quiet'])).code).toBe(0);
    expect(await publicSchema()).toMatchObject({owner: before.owner, acl: before.acl});

    await client.query('CREATE SCHEMA mine; CREATE TABLE mine.notes (note TEXT)');
    expectUsageError(
      await runNfx(['export', '--db', small, '--url', db.url, '--schema', 'mine', '--replace-empty-schema']),
      /^nfx: error: schema "mine" exists and was not created by nfx export \(owner \w+\) and holds 1 object; an export replaces the whole schema, so export into another --schema/,
    );
    expect((await client.query('SELECT count(*)::int AS n FROM mine.notes')).rows).toEqual([{n: 0}]);
  });

  it('with no --url, DATABASE_URL or PG* variable, says it tried libpq\'s defaults (the user name as database) and how to set the server', async () => {
    const user = userInfo().username;
    const unset = Object.fromEntries(['DATABASE_URL', 'PGHOST', 'PGHOSTADDR', 'PGPORT', 'PGUSER', 'PGDATABASE', 'PGSERVICE', 'PGPASSWORD'].map((name) => [name, undefined]));
    const result = await runNfx(['export', '--db', small], {cwd: tempDir(), env: unset});
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(`PostgreSQL at localhost:5432/${user}`);
    // a server may listen on 5432 on some machines: then it answers for itself
    if (result.stderr.includes('connection refused')) {
      expect(result.stderr).toContain(
        `no --url, DATABASE_URL or PG* variable is set, so nfx tried libpq's defaults: localhost:5432 and a database named after the user, ${user}; pass --url postgres://USER@HOST:5432/DATABASE, or set DATABASE_URL, or PGHOST and PGDATABASE`,
      );
    }
  });

  it.each(['prefer', 'require', 'disable'])('a port that answers HTTP, not PostgreSQL, is a connection problem (exit 2) with sslmode=%s', async (sslmode) => {
    const server = await fakeHttpServer();
    try {
      const port = (server.address() as {port: number}).port;
      const result = await runNfx(['export', '--db', small, '--url', `postgres://alice:${secret}@127.0.0.1:${port}/netflix?sslmode=${sslmode}`]);
      const notPostgres =
        sslmode === 'disable'
          ? /^nfx: error: PostgreSQL at 127\.0\.0\.1:\d+\/netflix closed the connection while it was being set up/
          : /^nfx: error: cannot connect to PostgreSQL at 127\.0\.0\.1:\d+\/netflix: the server there did not answer as PostgreSQL .*; check the host and port/;
      expectUsageError(result, notPostgres, secret);
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

/** A TCP service that answers anything with HTTP/1.1 400, as a web server on the wrong port would. */
async function fakeHttpServer(): Promise<Server> {
  const server = createServer((socket) => {
    socket.on('data', () => socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
