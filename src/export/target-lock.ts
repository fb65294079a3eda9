import {hostname} from 'node:os';
import type pg from 'pg';
import {UserError} from '../errors.js';
import {log} from '../log.js';
import {loadSql} from '../sql.js';
import type {SchemaNames} from './publish.js';

/** The application_name of an export's connections (its parallel index workers carry it too). */
export const EXPORT_APPLICATION = 'nfx export';

/**
 * How long a new export waits for the server to end the work of a killed one: with client_connection_check_interval
 * (PostgreSQL 14+) its statements stop within about a second of the check, its session and lock with them.
 */
const DEAD_RUN_WAIT_MS = 10_000;
const POLL_MS = 200;
/** The first server with client_connection_check_interval. */
const CLIENT_CHECK_SERVER = 140000;

/** A backend in the way of an export: the holder of the target's lock, or one working in its staging schema. */
export interface ExportBackend {
  pid: number;
  holdsLock: boolean;
  /** Running a statement that names the target's staging or retired schema. */
  inTargetSchemas: boolean;
  since: Date | null;
  /** Seconds its current statement has run; null when it is not running one. */
  statementSeconds: number | null;
  statement: string | null;
}

/** What the server shows of the exports into a target, this session aside. */
export interface TargetActivity {
  backends: ExportBackend[];
  /** The staging schema's comment: which nfx process (host and pid) created it. */
  stagingComment: string | null;
  serverVersion: {num: number; text: string};
}

/** The nfx process that holds the lock and whose process is gone, when that can be told (it ran on this machine). */
export interface DeadRun {
  host: string;
  pid: number;
}

/**
 * Takes the advisory lock of the target schema on the control connection (a session lock: it goes away with the
 * connection, also when nfx is killed). Without `wait`, a second export into the same schema fails at once,
 * unless the holder is an export whose nfx process is gone (killed, crashed): then the server is given a few
 * seconds to end the dead run's work (PostgreSQL 14+). Once the lock is ours, what is left of a dead run in the
 * staging schema is waited for the same way, so the DROP of that schema does not hang behind it.
 */
export async function lockTarget(client: pg.Client, names: SchemaNames, wait: boolean): Promise<void> {
  log().debug(`taking the export lock of schema "${names.target}"`);
  let activity: TargetActivity | undefined;
  // the holder may let go between the try and the look-up: then the lock is free, try again
  for (let attempt = 0; attempt < 3 && !activity?.backends[0]?.holdsLock; attempt++) {
    if (await tryLock(client, names)) return awaitDeadRunBackends(client, names, wait);
    activity = await targetActivity(client, names);
  }
  const holder = activity?.backends[0];
  const dead = activity ? deadRun(activity) : null;
  if (wait) {
    log().info(`waiting for the other nfx export into schema "${names.target}" to finish${holderText(holder)}`);
    await client.query('SELECT pg_advisory_lock($1, $2)', names.lockKeys);
  } else if (dead && activity!.serverVersion.num >= CLIENT_CHECK_SERVER) {
    log().info(`the lock of schema "${names.target}" is held by an export whose nfx process (pid ${dead.pid}) is gone; waiting up to ${DEAD_RUN_WAIT_MS / 1000} s for PostgreSQL to end its work`);
    if (!(await pollLock(client, names, DEAD_RUN_WAIT_MS))) throw lockRefusal(names, await targetActivity(client, names), dead);
    log().info(`took the lock of schema "${names.target}" from the dead export`);
  } else {
    throw lockRefusal(names, activity, dead);
  }
  await awaitDeadRunBackends(client, names, wait);
}

export async function unlockTarget(client: pg.Client, names: SchemaNames): Promise<void> {
  await client.query('SELECT pg_advisory_unlock($1, $2)', names.lockKeys);
}

async function tryLock(client: pg.Client, names: SchemaNames): Promise<boolean> {
  const {rows} = await client.query<{locked: boolean}>('SELECT pg_try_advisory_lock($1, $2) AS locked', names.lockKeys);
  return rows[0].locked;
}

/** Tries the lock until it is ours or `ms` have passed. */
async function pollLock(client: pg.Client, names: SchemaNames, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await tryLock(client, names)) return true;
    if (Date.now() >= deadline) return false;
    await sleep(POLL_MS);
  }
}

/**
 * With the lock held, no live export into the target can be running: backends still working in its staging or
 * retired schema belong to a run whose client is gone. Waits for them (up to DEAD_RUN_WAIT_MS, or as long as it
 * takes with --wait); refuses, letting go of the lock, when they are still there.
 */
async function awaitDeadRunBackends(client: pg.Client, names: SchemaNames, wait: boolean): Promise<void> {
  let leftover = await deadRunBackends(client, names);
  if (leftover.length === 0) return;
  log().info(`waiting for ${leftover.length} backend(s) of an earlier export into schema "${names.target}" whose client is gone to end (pids ${pidList(leftover)})`);
  const deadline = Date.now() + DEAD_RUN_WAIT_MS;
  while (leftover.length > 0 && (wait || Date.now() < deadline)) {
    await sleep(POLL_MS);
    leftover = await deadRunBackends(client, names);
  }
  if (leftover.length === 0) return;
  await unlockTarget(client, names);
  const longest = leftover.reduce((a, b) => ((b.statementSeconds ?? 0) > (a.statementSeconds ?? 0) ? b : a));
  throw new UserError(
    `PostgreSQL backends ${pidList(leftover)} of an earlier nfx export into schema "${names.target}", whose client is gone, are still running (${statementText(longest)}); the server ends them when that statement ends; run the export again then, with --wait to queue behind them, or end them now with SELECT pg_terminate_backend(pid)`,
  );
}

async function deadRunBackends(client: pg.Client, names: SchemaNames): Promise<ExportBackend[]> {
  const activity = await targetActivity(client, names);
  return activity.backends.filter((b) => b.inTargetSchemas && !b.holdsLock);
}

/** The lock holder and the export backends in the target's schemas (sql/postgres/02_export_backends.sql). */
export async function targetActivity(client: pg.Client, names: SchemaNames): Promise<TargetActivity> {
  const {rows} = await client.query<{
    pid: number;
    holds_lock: boolean;
    in_target_schemas: boolean;
    since: Date | null;
    statement_seconds: number | null;
    statement: string | null;
    staging_comment: string | null;
    server_version_num: number;
    server_version: string;
  }>(loadSql('postgres', '02_export_backends'), [...names.lockKeys, names.staging, names.retired, EXPORT_APPLICATION]);
  const version = rows[0] ?? (await client.query('SELECT current_setting(\'server_version_num\')::int AS server_version_num, current_setting(\'server_version\') AS server_version')).rows[0];
  return {
    backends: rows.map((r) => ({
      pid: r.pid,
      holdsLock: r.holds_lock,
      inTargetSchemas: r.in_target_schemas,
      since: r.since,
      statementSeconds: r.statement_seconds,
      statement: r.statement,
    })),
    stagingComment: rows[0]?.staging_comment ?? null,
    serverVersion: {num: version.server_version_num, text: String(version.server_version).split(' ')[0]},
  };
}

/**
 * The holder of the lock as a dead run of nfx: it is running a statement in the target's staging or retired
 * schema (an idle one would have noticed its client's end at once), and the staging schema's comment names it
 * as the backend of an nfx process on this machine that no longer exists. A holder on another machine cannot be told dead from alive.
 */
export function deadRun(activity: TargetActivity, here = hostname(), alive = processAlive): DeadRun | null {
  const holder = activity.backends[0];
  if (!holder?.holdsLock || !holder.inTargetSchemas) return null;
  const creator = stagingCreator(activity.stagingComment);
  // a comment naming another backend is an earlier run's, not yet replaced by the holder's
  if (!creator || creator.backend !== holder.pid || creator.host !== here || alive(creator.pid)) return null;
  return {host: creator.host, pid: creator.pid};
}

/**
 * The staging schema's comment: which nfx process on which machine is loading it, over which backend (the lock
 * holder), so the next export can tell that the process holding the lock is gone.
 */
export function stagingComment(target: string, backend: number | null, host = hostname(), pid = process.pid, at = new Date()): string {
  return `nfx export into schema ${JSON.stringify(target)} in progress (${host} pid ${pid}, backend ${backend}, ${at.toISOString()}); removed by the next export if left behind`;
}

/** Host, pid and backend pid from a stagingComment. */
export function stagingCreator(comment: string | null): {host: string; pid: number; backend: number} | null {
  const match = comment ? / in progress \(([^()]+) pid (\d+), backend (\d+), [^()]+\); removed by the next export if left behind$/.exec(comment) : null;
  return match ? {host: match[1], pid: Number(match[2]), backend: Number(match[3])} : null;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, run by another user
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * The one line of a refused export. A live holder: refused as always. On a server without
 * client_connection_check_interval (before 14) a killed export's statement runs to its end, so the line says the
 * holder's client may be gone (or is, when known) and how long its statement has run.
 */
export function lockRefusal(names: SchemaNames, activity: TargetActivity | undefined, dead: DeadRun | null): UserError {
  const holder = activity?.backends[0];
  const queue = 'run with --wait to queue behind it';
  const running = holder?.statementSeconds != null ? ` (${statementText(holder)})` : '';
  if (dead) {
    return new UserError(
      `the nfx export into schema "${names.target}" that holds its lock${holderText(holder)} is gone (its process ${dead.pid} on ${dead.host} no longer exists), but PostgreSQL ${activity!.serverVersion.text} is still running its statement${running} and keeps the lock until that ends; run the export again then, or ${queue}`,
    );
  }
  if (activity && activity.serverVersion.num < CLIENT_CHECK_SERVER && holder?.statementSeconds != null) {
    return new UserError(
      `another nfx export into schema "${names.target}" is running${holderText(holder)}; its client may be gone: PostgreSQL ${activity.serverVersion.text} notices that only when the statement ends, which has run for ${seconds(holder.statementSeconds)}; wait for it to finish, or ${queue}`,
    );
  }
  return new UserError(`another nfx export into schema "${names.target}" is running${holderText(holder)}; wait for it to finish, or ${queue}`);
}

function holderText(holder: ExportBackend | undefined): string {
  if (!holder) return '';
  return ` (PostgreSQL backend pid ${holder.pid}${holder.since ? `, connected since ${holder.since.toISOString()}` : ''})`;
}

/** "CREATE INDEX fact_ratings_date_key_idx ..., for 42 s": the statement's first SQL line, and how long it has run. */
function statementText(backend: ExportBackend): string {
  const line = (backend.statement ?? '').split('\n').map((l) => l.trim()).find((l) => l && !l.startsWith('--')) ?? '';
  const shown = line.length > 60 ? `${line.slice(0, 60)}...` : line;
  return `${shown ? `${shown}, ` : ''}for ${seconds(backend.statementSeconds ?? 0)}`;
}

function seconds(value: number): string {
  return `${Math.round(value)} s`;
}

function pidList(backends: ExportBackend[]): string {
  return backends.map((b) => b.pid).join(', ');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
