/**
 * The PostgreSQL side of the benchmark: the server, psql, and the server's memory.
 *
 * With no --url, bench/run.js re-runs itself under `.ci/with-postgres` (a throwaway cluster of the machine's
 * PostgreSQL 15: fsync off, max_wal_size 2GB, stopped and deleted when the bench ends, also on Ctrl-C).
 */
import {execFileSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {processTree} from './measure.js';

export const PG_BINDIR = process.env.NFX_BENCH_PG_BINDIR ?? '/usr/lib/postgresql/15/bin';

/** psql from the server's bin directory when installed (Debian), else the one on PATH. */
export function psqlPath() {
  if (existsSync(`${PG_BINDIR}/psql`)) return `${PG_BINDIR}/psql`;
  try {
    return execFileSync('sh', ['-c', 'command -v psql'], {encoding: 'utf8'}).trim() || null;
  } catch {
    return null;
  }
}

/**
 * Runs psql quietly and returns its stdout; throws with psql's message on error.
 * @param {string} url
 * @param {string[]} args e.g. ['-c', 'SELECT 1'] or ['-f', file]
 * @param {Record<string, string>} [variables] psql variables (-v name=value)
 */
export function psql(url, args, variables = {}) {
  const vars = Object.entries(variables).flatMap(([k, v]) => ['-v', `${k}=${v}`]);
  return execFileSync(/** @type {string} */ (psqlPath()), ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', ...vars, '-d', url, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** psql's arguments to run a list of statements / backslash commands, in order, in one session. */
export function psqlArgs(url, commands, variables = {}) {
  const vars = Object.entries(variables).flatMap(([k, v]) => ['-v', `${k}=${v}`]);
  return ['-X', '-q', '-v', 'ON_ERROR_STOP=1', ...vars, '-d', url, ...commands.flatMap((c) => ['-c', c])];
}

/** The server's version and, when it runs on this machine, its postmaster pid (to read its memory). */
export function serverInfo(url) {
  const [version, dataDirectory] = psql(url, ['-c', "SELECT current_setting('server_version') || '|' || current_setting('data_directory')"])
    .trim()
    .split('|');
  let postmasterPid = null;
  try {
    postmasterPid = Number(readFileSync(`${dataDirectory}/postmaster.pid`, 'utf8').split('\n')[0]);
    if (!existsSync(`/proc/${postmasterPid}`)) postmasterPid = null;
  } catch {
    // a remote server, or no permission to read its data directory: no memory figures
  }
  return {version, dataDirectory, postmasterPid};
}

/** Reads one number (kB) from a /proc file by field name; 0 when the process is gone. */
function procField(path, field) {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(readFileSync(path, 'latin1'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * Memory of all the server's processes (postmaster, backends, background workers), in KB:
 * rss sums VmRSS and so counts the shared buffers once per process that touched them;
 * pss sums the proportional set sizes, which splits shared pages among their users and adds up to
 * what the server really holds.
 * @param {number} postmasterPid
 */
export function serverMemoryKB(postmasterPid) {
  let rss = 0;
  let pss = 0;
  for (const pid of processTree(postmasterPid)) {
    rss += procField(`/proc/${pid}/status`, 'VmRSS');
    pss += procField(`/proc/${pid}/smaps_rollup`, 'Pss');
  }
  return {rss, pss};
}
