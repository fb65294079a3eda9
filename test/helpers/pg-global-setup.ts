/**
 * vitest globalSetup: one PostgreSQL server for the whole run (see pg.ts for the API tests use).
 *
 * NFX_TEST_DATABASE_URL set: that server is used as is (its user must be allowed to CREATE DATABASE).
 * Otherwise embedded-postgres-server.mjs starts a throwaway server in a child process. Either way the
 * teardown drops the databases this run created (nfx_test_<runId>_*), then stops the throwaway server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import type { TestServer } from './pg.js';

const startTimeoutMs = 60_000;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const externalUrl = process.env.NFX_TEST_DATABASE_URL;
  const startedAt = performance.now();
  const embedded = externalUrl ? undefined : await startEmbeddedServer();
  try {
    const adminUrl = externalUrl ?? embedded!.url;
    const server: TestServer = {
      adminUrl,
      source: externalUrl ? 'NFX_TEST_DATABASE_URL' : 'embedded',
      runId: randomBytes(4).toString('hex'),
      ...(await serverVersion(adminUrl)),
    };
    project.provide('nfxTestServer', server);
    const seconds = ((performance.now() - startedAt) / 1000).toFixed(2);
    const where = externalUrl ? `NFX_TEST_DATABASE_URL (${hostOf(adminUrl)})` : `embedded-postgres on ${hostOf(adminUrl)}, ready in ${seconds} s`;
    console.log(`[nfx tests] PostgreSQL ${server.version} — ${where}`);

    return async () => {
      try {
        await dropRunDatabases(server);
      } finally {
        await embedded?.stop();
      }
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

interface EmbeddedServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts embedded-postgres-server.mjs and waits for the JSON line that says the server is ready. */
async function startEmbeddedServer(): Promise<EmbeddedServer> {
  const script = fileURLToPath(new URL('./embedded-postgres-server.mjs', import.meta.url));
  const child = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    if (process.env.NFX_TEST_PG_LOG) process.stderr.write(chunk);
    stderr = (stderr + chunk.toString()).slice(-20_000);
  });
  const stop = async () => {
    child.stdin!.end(); // the server process stops PostgreSQL and deletes its directory when stdin closes
    await exited;
  };
  try {
    const ready = await readyLine(child, () => stderr);
    return { url: (JSON.parse(ready) as { url: string }).url, stop };
  } catch (error) {
    child.kill('SIGTERM');
    await exited;
    throw error;
  }
}

function readyLine(child: ChildProcess, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`embedded PostgreSQL for tests ${why}\n${stderr()}`));
    };
    const timer = setTimeout(() => fail(`did not start within ${startTimeoutMs / 1000} s`), startTimeoutMs);
    child.once('error', (error) => fail(`could not be launched: ${error.message}`));
    child.once('exit', (code, signal) => fail(`exited before it was ready (code ${code}, signal ${signal})`));
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const newline = stdout.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(stdout.slice(0, newline));
      }
    });
  });
}

async function serverVersion(adminUrl: string): Promise<Pick<TestServer, 'version' | 'versionNum'>> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect().catch((error: Error) => {
    throw new Error(`cannot connect to the test PostgreSQL at ${hostOf(adminUrl)}: ${error.message}`);
  });
  try {
    const { rows } = await client.query<{ version: string; version_num: string }>(
      "SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS version_num",
    );
    return { version: rows[0]!.version, versionNum: Number(rows[0]!.version_num) };
  } finally {
    await client.end();
  }
}

/** Safety net for databases a test left behind; matters on a shared NFX_TEST_DATABASE_URL server. */
async function dropRunDatabases(server: TestServer): Promise<void> {
  const client = new pg.Client({ connectionString: server.adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE starts_with(datname, $1)',
      [`nfx_test_${server.runId}_`],
    );
    const force = server.versionNum >= 130000 ? ' WITH (FORCE)' : '';
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(datname)}${force}`);
  } finally {
    await client.end();
  }
}

/** host:port of a connection URL, never its password. */
function hostOf(url: string): string {
  const { hostname, port } = new URL(url);
  return `${hostname || 'local socket'}${port ? `:${port}` : ''}`;
}
