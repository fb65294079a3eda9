/**
 * Runs one child process the way a user would, and measures it: wall seconds, peak RSS, its stdout.
 *
 * Peak RSS is the larger of two readings: `/usr/bin/time -f %M` (the kernel's ru_maxrss of the process,
 * exact, native memory such as DuckDB's included) and the peak of the summed VmRSS of the process tree,
 * polled every POLL_MS (catches memory held by several processes at once, which ru_maxrss does not add up).
 */
import {execFileSync, spawn} from 'node:child_process';
import {existsSync, readFileSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

const TIME_BIN = '/usr/bin/time';
const POLL_MS = 100;

/** @param {number} pid @returns {{ppid: number, rssKB: number} | null} */
function processStatus(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'latin1');
    return {
      ppid: Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0),
      rssKB: Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0),
    };
  } catch {
    return null; // gone, or a kernel thread
  }
}

/** Every live process: pid -> parent pid. */
function processTable() {
  /** @type {Map<number, number>} */
  const parents = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      // the command name may hold spaces and parentheses: fields start after the last ')'
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(name), Number(fields[1]));
    } catch {
      // exited while we looked
    }
  }
  return parents;
}

/** The pid and all its descendants. @param {number} root */
export function processTree(root) {
  const parents = processTable();
  const tree = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (!tree.has(pid) && tree.has(ppid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  return [...tree];
}

/** Summed VmRSS of a process and its descendants, in KB. @param {number} root */
export function treeRssKB(root) {
  let sum = 0;
  for (const pid of processTree(root)) sum += processStatus(pid)?.rssKB ?? 0;
  return sum;
}

/**
 * Polls a sampler every POLL_MS until stopped; returns the peak it saw of each figure.
 * @param {() => Record<string, number>} sample
 */
export function peakSampler(sample) {
  /** @type {Record<string, number>} */
  const peak = {};
  const poll = () => {
    try {
      for (const [key, value] of Object.entries(sample())) peak[key] = Math.max(peak[key] ?? 0, value);
    } catch {
      // a process vanished between listing and reading: the next poll sees the rest
    }
  };
  poll();
  const timer = setInterval(poll, POLL_MS);
  return {
    stop() {
      clearInterval(timer);
      poll();
      return peak;
    },
  };
}

/**
 * @typedef {object} Measured
 * @property {number} seconds wall time from spawn to exit
 * @property {number | null} cpuSeconds user + system CPU of the process (and the children it waited for)
 * @property {number} peakRssMiB
 * @property {number} code
 * @property {string} stdout
 * @property {string} stderr
 */

/**
 * Runs `command args` and measures it. Rejects when the command fails (exit code not 0), with its stderr.
 * @param {string} command
 * @param {string[]} args
 * @param {{env?: NodeJS.ProcessEnv, cwd?: string, onStart?: () => void}} [options]
 * @returns {Promise<Measured>}
 */
export function measure(command, args, options = {}) {
  const timeFile = join(tmpdir(), `nfx-bench-time-${process.pid}-${Date.now()}`);
  const useTime = existsSync(TIME_BIN);
  const argv = useTime ? [TIME_BIN, '-f', '%M %U %S', '-o', timeFile, command, ...args] : [command, ...args];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(argv[0], argv.slice(1), {cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe']});
    const rss = peakSampler(() => ({kb: treeRssKB(/** @type {number} */ (child.pid))}));
    options.onStart?.();
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      let peakKB = rss.stop().kb ?? 0;
      let cpuSeconds = null;
      if (useTime && existsSync(timeFile)) {
        // the last line: "%M %U %S" (earlier lines are notes such as "Command exited with non-zero status")
        const [maxrss, user, system] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
        if (Number.isFinite(maxrss)) peakKB = Math.max(peakKB, maxrss);
        if (Number.isFinite(user) && Number.isFinite(system)) cpuSeconds = user + system;
        rmSync(timeFile, {force: true});
      }
      const result = {seconds, cpuSeconds, peakRssMiB: peakKB / 1024, code: code ?? -1, stdout, stderr};
      if (code !== 0) {
        const tail = stderr.trim().split('\n').slice(-8).join('\n');
        reject(new Error(`${[command, ...args].join(' ')} exited with ${code}:\n${tail}`));
      } else resolve(result);
    });
  });
}

/**
 * Writes the page cache's dirty pages out (`sync`) before a timed stage, so that no contestant pays for the
 * writeback of files another one (or the CSV preparation, 3.2 GB at 100M ratings) wrote just before it.
 * Best effort: without `sync` the stages run as they are.
 */
export function flushWrites() {
  try {
    execFileSync('sync', [], {stdio: 'ignore'});
  } catch {
    // no sync on this system
  }
}

/** The median of a list of numbers. @param {number[]} values */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const CLOCK_TICKS = 100; // USER_HZ: /proc/stat and /proc/<pid>/stat count CPU time in 1/100 s on Linux

/** CPU seconds the whole machine spent busy since boot (all cores; idle and iowait excluded). */
export function machineBusySeconds() {
  const fields = readFileSync('/proc/stat', 'latin1').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = fields;
  return (user + nice + system + irq + softirq + (steal ?? 0)) / CLOCK_TICKS;
}

/**
 * CPU seconds of a process tree, counting the children it has already reaped (cutime, cstime): for the
 * PostgreSQL postmaster this includes the backends of connections that have ended.
 * @param {number} root
 */
export function treeCpuSeconds(root) {
  let ticks = 0;
  for (const pid of processTree(root)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // after the command: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {
      // exited while we looked
    }
  }
  return ticks / CLOCK_TICKS;
}

/**
 * Cores kept busy by other work on the machine (not this benchmark) over `seconds`, sampled now.
 * @param {number | null} serverPid the PostgreSQL postmaster the bench uses (its CPU is the bench's)
 */
export async function othersBusyCores(serverPid, seconds = 2) {
  const before = {machine: machineBusySeconds(), server: serverPid ? treeCpuSeconds(serverPid) : 0, self: process.cpuUsage()};
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const self = process.cpuUsage(before.self);
  const ours = (serverPid ? treeCpuSeconds(serverPid) : 0) - before.server + (self.user + self.system) / 1e6;
  return Math.max(0, (machineBusySeconds() - before.machine - ours) / seconds);
}
