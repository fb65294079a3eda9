/**
 * Running `nfx export --target pg` as a user would, and watching it from PostgreSQL while it runs.
 *
 *   const running = exportTo(db, warehouse, '--quiet');
 *   expect(await until(copyingFacts(client))).toBe(true);     // mid-COPY now
 *   ...
 *   expect(await until(exportGone(client))).toBe(true);       // its backends (and its lock) are gone
 *   expect(await pgChecksums(client, 'netflix_dw')).toEqual(await duckdbChecksums(previous));
 */
import {readFileSync} from 'node:fs';
import type pg from 'pg';
import {expect} from 'vitest';
import {quoteIdent} from '../../src/export/publish.js';
import {checksumSql} from '../../src/export/tables.js';
import {checksumRows, type Checksums} from '../../src/export/warehouse.js';
import {runNfx, type CliOptions, type CliResult} from '../helpers/cli.js';
import {queryDuckDB} from '../helpers/duckdb.js';
import {duckdbTable, pgTable} from './warehouses.js';

/** The export's log line just before it tries the target's lock. */
export const TAKING_LOCK = /taking the export lock of schema/;

/** The application_name of the export's connections. */
export const EXPORT_APPLICATION = 'nfx export';

/** `nfx export --db warehouse --url <db.url> ...args`, with DATABASE_URL from the test's environment unset. */
export const exportTo = (db: {url: string}, warehouse: string, ...args: string[]): Promise<CliResult> =>
  runNfx(...exportCommand(db, warehouse, ...args));

/** The arguments and options of exportTo, for runs that need more control over the child (killing it, say). */
export const exportCommand = (db: {url: string}, warehouse: string, ...args: string[]): [string[], CliOptions] => [
  ['export', '--db', warehouse, '--url', db.url, ...args],
  {env: {DATABASE_URL: undefined}},
];

/** The export's backends are gone (after a kill the server notices the closed sockets within moments). */
export const exportGone = (client: pg.Client) => async () =>
  (await client.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1', [EXPORT_APPLICATION])).rows[0].n === 0;

/** A COPY into the staging fact table is under way and has rows in. */
export const copyingFacts = (client: pg.Client) => async () =>
  (
    await client.query(
      "SELECT count(*)::int AS n FROM pg_stat_progress_copy AS p JOIN pg_class AS c ON c.oid = p.relid WHERE p.datid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND c.relname = 'fact_ratings' AND p.tuples_processed > 0",
    )
  ).rows[0].n > 0;

/** An export connection is building a key, an index or a foreign key (sql/postgres/2*.sql). */
export const buildingConstraints = (client: pg.Client) => async () =>
  (
    await client.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND state = 'active' AND query ~* '(ADD CONSTRAINT|CREATE (UNIQUE )?INDEX) '",
      [EXPORT_APPLICATION],
    )
  ).rows[0].n > 0;

/** Advisory locks held or awaited in the current database (an export holds one while it runs). */
export async function advisoryLocks(client: pg.Client): Promise<number> {
  const {rows} = await client.query<{n: number}>(
    "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
  );
  return rows[0].n;
}

/** Row count and checksum of every exported table in `schema`: the export's own reconciliation SQL. */
export async function pgChecksums(client: pg.Client, schema: string): Promise<Checksums> {
  const {rows} = await client.query(checksumSql(quoteIdent(schema)));
  return checksumRows(rows);
}

/** The same figures of a DuckDB warehouse (the same SQL text, as the export reconciles). */
export async function duckdbChecksums(warehouse: string): Promise<Checksums> {
  const rows = await queryDuckDB(warehouse, checksumSql('main'));
  return checksumRows(rows as {table_name: string; row_count: number; checksum: string}[]);
}

/** The schema netflix_dw holds `warehouse`'s rows, compared row for row (the big tables). */
export async function expectLoadOf(client: pg.Client, warehouse: string): Promise<void> {
  for (const table of ['fact_ratings', 'dim_customer', 'dim_movie'] as const) {
    expect(await pgTable(client, 'netflix_dw', table), table).toEqual(await duckdbTable(warehouse, table));
  }
}

/** One line on stderr, exit code 2, and the secret nowhere. */
export function expectUsageError(result: CliResult, message: RegExp, secret?: string): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).toMatch(message);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  if (secret) expect(result.stdout + result.stderr).not.toContain(secret);
}

/**
 * Milliseconds from the first line of a --log-file matching `from` to its last line (an error is logged too):
 * how long a run took from that step, whatever Node's start-up and the machine's load added before it.
 */
export function loggedSpanMs(logFile: string, from: RegExp): number {
  const lines = readFileSync(logFile, 'utf8').trim().split('\n');
  const stamp = (line: string) => Date.parse(line.slice(0, line.indexOf(' ')));
  return stamp(lines.at(-1)!) - stamp(lines.find((line) => from.test(line)) ?? lines[0]);
}
