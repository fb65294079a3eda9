import type {DuckDBConnection} from '@duckdb/node-api';
import type pg from 'pg';
import {hasTable} from '../duckdb.js';
import {log} from '../log.js';
import {fillSql, loadSql, nfxVersion, sqlString} from '../sql.js';
import {copyStream} from './copy.js';
import {exportComment, parseExportComment, quoteIdent, quoteLiteral, type SchemaNames} from './publish.js';
import {EXPORT_TABLES, EXPORT_VIEWS, PG_TYPE, checksumSql, columnList, type ExportColumn, type TableName} from './tables.js';
import {checksumRows, type Checksums, type Warehouse} from './warehouse.js';

/**
 * The incremental export (SPEC 3, last bullet): when the target schema holds an earlier state of the same
 * warehouse, only what the appends since changed goes in, in one transaction on the published schema with its
 * constraints in place. The stages, in order:
 *
 *   decide        the target's runs against the warehouse's: incremental, or full and why (decideExport)
 *   copy changes  the changed keys (the warehouse's change log, nfx_change) and the rows they select, binary
 *                 COPY into temporary tables
 *   apply         upserts and scope replacements, dimensions first (sql/postgres/72_incremental_apply.sql),
 *                 then the new fact rows (76_new_facts.sql; their foreign keys checked as one set where
 *                 77_keys_check_allowed.sql allows it), then the rest (78_incremental_apply_rest.sql)
 *   reconcile     row counts of every table and checksums of the changed rows against DuckDB's
 *   commit        with the schema's comment naming the new run; a mismatch rolls back instead
 */
export type ExportPlan =
  | {mode: 'full'; reason: string}
  | {mode: 'incremental'; /** The last run the target holds. */ fromRun: string; /** The runs it lacks, in order. */ runs: string[]};

/** What an incremental export did to one table. */
export interface TableChange {
  table: TableName;
  /** Rows of the changed scope sent from DuckDB. */
  copied: number;
  inserted: number;
  updated: number;
  deleted: number;
}

export interface IncrementalResult {
  fromRun: string;
  runsApplied: string[];
  changes: TableChange[];
  /** Row counts of every table, equal in DuckDB and PostgreSQL. */
  rowCounts: Record<TableName, number>;
  /** Row count and checksum of each table's changed rows, equal in DuckDB and PostgreSQL. */
  changedScope: Checksums;
  /** How the new fact rows' foreign keys were checked: as one set (a superuser's export), or row by row by their triggers. */
  newFactKeys: 'set' | 'row';
  phases: {copy: number; apply: number; reconcile: number; commit: number};
}

/** The reconciliation of an incremental export found a difference: it was rolled back. */
export class IncrementalMismatch extends Error {}

const CHANGE_KEY_COLUMNS: ExportColumn[] = [
  {name: 'table_name', kind: 'text'},
  {name: 'row_key', kind: 'int8'},
  {name: 'row_name', kind: 'text'},
];

/**
 * Stage decide: incremental when the target is a schema nfx export created, shaped as this nfx creates it,
 * and its runs (etl_run) are the warehouse's first runs, the first one full, and every later run of the
 * warehouse logged its changes; full otherwise, with the reason.
 */
export async function decideExport(control: pg.Client, names: SchemaNames, warehouse: Warehouse, duckdb: DuckDBConnection): Promise<ExportPlan> {
  const schema = names.target;
  const full = (reason: string): ExportPlan => ({mode: 'full', reason});
  const {rows: existing} = await control.query<{comment: string | null}>(loadSql('postgres', '59_target_schema'), [schema]);
  if (existing.length === 0) return full(`schema "${schema}" does not exist yet`);
  const origin = parseExportComment(existing[0].comment);
  if (!origin) return full(`schema "${schema}" was not created by nfx export`);
  const changed = await shapeDifference(control, schema);
  if (changed) return full(`schema "${schema}" was changed by hand (${changed})`);
  const target = (await control.query<{run_id: string}>(`SELECT run_id FROM ${quoteIdent(schema)}.etl_run ORDER BY started_at, run_id`)).rows.map((r) => r.run_id);
  if (!(await hasTable(duckdb, 'nfx_change'))) return full(`${warehouse.path} has no change log (it was built by an nfx before incremental exports)`);
  const runs = (await duckdb.runAndReadAll(loadSql('duckdb', 'export/runs'))).getRowObjectsJson().map((r) => ({id: String(r.run_id), mode: String(r.mode), logged: Boolean(r.logged)}));
  const plan = matchRuns(target, runs, {schema, targetPath: origin.path, warehousePath: warehouse.path});
  if (plan.mode === 'full' || plan.runs.length === 0) return plan;
  const changedFacts = await duckdb.runAndReadAll(fillSql(loadSql('duckdb', 'export/changed_facts'), {runs: quotedRuns(plan.runs)}));
  return cheaperInFull(Number(changedFacts.getRows()[0][0]), warehouse.factRows) ?? plan;
}

/**
 * An incremental export costs PostgreSQL about as much CPU per changed fact row (an upsert into four indexes and
 * three foreign-key checks, row by row) as a full export costs per 10 fact rows (COPY, then indexes built by
 * sorting), and runs on one connection where the full export spreads over --jobs: at 10M ratings plus an
 * append of 1M new ones (10 %) it took 33.6 server CPU-seconds against the full export's 31.6, and twice the
 * wall time (BENCHMARKS.md). Beyond 5 % of the fact table a full export is the cheaper one; below a million
 * rows both take seconds and the rule is not worth a swap.
 */
const INCREMENTAL_MAX_SHARE = 0.05;
const INCREMENTAL_ALWAYS_BELOW = 1_000_000;

/** A full export's plan when the appends changed too many fact rows for an incremental one to pay off; null otherwise. */
export function cheaperInFull(changedFacts: number, factRows: number): ExportPlan | null {
  if (factRows < INCREMENTAL_ALWAYS_BELOW || changedFacts <= INCREMENTAL_MAX_SHARE * factRows) return null;
  const share = ((100 * changedFacts) / factRows).toFixed(1);
  return {mode: 'full', reason: `the appends since changed ${changedFacts} of ${factRows} fact rows (${share} %, more than ${100 * INCREMENTAL_MAX_SHARE} %): a full export is cheaper`};
}

/**
 * The rule of decide over the run ids alone: the target's runs must be the warehouse's first ones, its first
 * run the warehouse's full run, and every run it lacks an append that logged its changes.
 */
export function matchRuns(
  target: readonly string[],
  warehouse: readonly {id: string; mode: string; logged: boolean}[],
  where: {schema: string; targetPath: string; warehousePath: string},
): ExportPlan {
  const full = (reason: string): ExportPlan => ({mode: 'full', reason});
  if (target.length === 0) return full(`schema "${where.schema}" records no transform run`);
  const first = warehouse[0];
  if (!first || first.id !== target[0]) {
    return where.targetPath === where.warehousePath
      ? full(`a full transform replaced the warehouse since schema "${where.schema}" was exported (it holds run ${target[0]}, the warehouse starts at run ${first?.id ?? 'none'})`)
      : full(`schema "${where.schema}" holds another warehouse (${where.targetPath}, run ${target[0]})`);
  }
  const extra = target.filter((id, i) => warehouse[i]?.id !== id);
  if (extra.length > 0 || target.length > warehouse.length) {
    return full(`schema "${where.schema}" holds runs the warehouse lacks (${(extra.length > 0 ? extra : target.slice(warehouse.length)).join(', ')})`);
  }
  const missing = warehouse.slice(target.length);
  const unlogged = missing.filter((run) => run.mode !== 'append' || !run.logged);
  if (unlogged.length > 0) return full(`run ${unlogged[0].id} of the warehouse kept no change log (an append by an nfx before incremental exports)`);
  return {mode: 'incremental', fromRun: target.at(-1)!, runs: missing.map((run) => run.id)};
}

/** What differs between the target schema and what nfx export creates (tables, columns, types, primary keys, views); null when nothing. */
async function shapeDifference(control: pg.Client, schema: string): Promise<string | null> {
  const {rows} = await control.query<{relation: string; kind: string; column_name: string | null; column_type: string | null; has_primary_key: boolean}>(
    loadSql('postgres', '74_target_shape'),
    [schema],
  );
  const relations = new Map<string, typeof rows>();
  for (const row of rows) relations.set(row.relation, [...(relations.get(row.relation) ?? []), row]);
  for (const table of EXPORT_TABLES) {
    const found = relations.get(table.name);
    if (!found || found[0].kind !== 'r') return `table ${table.name} is missing`;
    const columns = found.filter((c) => c.column_name !== null).map((c) => `${c.column_name} ${c.column_type}`);
    const expected = table.columns.map((c) => `${c.name} ${PG_TYPE[c.kind]}`);
    const differs = expected.find((column, i) => columns[i] !== column) ?? (columns.length > expected.length ? columns[expected.length] : undefined);
    if (differs) {
      const name = differs.split(' ')[0];
      const now = columns.find((c) => c.split(' ')[0] === name);
      return `${table.name}.${name} is ${now ? `${now.slice(name.length + 1)} where nfx creates ${expected.find((c) => c.startsWith(`${name} `))?.slice(name.length + 1) ?? 'no such column'}` : 'missing'}`;
    }
    if (!found[0].has_primary_key) return `table ${table.name} has no primary key`;
  }
  const view = EXPORT_VIEWS.find((name) => relations.get(name)?.[0].kind !== 'v');
  return view ? `view ${view} is missing` : null;
}

/**
 * Stages copy changes, apply, reconcile and commit, on the control connection (which holds the target's
 * lock) in one transaction. Throws IncrementalMismatch, after rolling back, when the reconciliation differs;
 * any other failure rolls back too (the caller's ROLLBACK), leaving the schema as it was.
 */
export async function applyIncremental(
  control: pg.Client,
  names: SchemaNames,
  warehouse: Warehouse,
  duckdb: DuckDBConnection,
  plan: Extract<ExportPlan, {mode: 'incremental'}>,
  setPhase: (phase: string) => void,
): Promise<IncrementalResult> {
  const target = quoteIdent(names.target);
  // the target's largest rating_key before the apply: the fact rows above it are new (71_change_scope.sql)
  let storedMax = 0;
  const pgSql = (name: string, schema = target): string => fillSql(loadSql('postgres', name), {schema, stored_max: storedMax, fact_order: FACT_ORDER});
  const phases: IncrementalResult['phases'] = {copy: 0, apply: 0, reconcile: 0, commit: 0};
  let since = performance.now();
  const lap = (phase: keyof typeof phases): void => {
    const now = performance.now();
    phases[phase] = round((now - since) / 1000);
    since = now;
  };

  setPhase('copying the changes');
  const [[database]] = (await duckdb.runAndReadAll('SELECT current_database()')).getRows();
  const warehouseSchema = `${quoteIdent(String(database))}.main`;
  await control.query('BEGIN');
  storedMax = Number((await control.query<{max_key: string}>(pgSql('75_fact_max_key'))).rows[0].max_key);
  await duckdb.run(fillSql(loadSql('duckdb', 'export/change_keys'), {runs: quotedRuns(plan.runs)}));
  await duckdb.run(pgSql('71_change_scope', warehouseSchema));
  await control.query(pgSql('70_incremental_tables'));
  await copyStream({duckdb, select: 'SELECT table_name, row_key, row_name FROM change_key', columns: CHANGE_KEY_COLUMNS, client: control, copy: 'COPY change_key (table_name, row_key, row_name) FROM STDIN (FORMAT binary)'});
  const copied = new Map<TableName, number>();
  for (const table of EXPORT_TABLES) {
    const {rows} = await copyStream({
      duckdb,
      select: `SELECT ${columnList(table)} FROM temp.main.${table.name}`,
      columns: table.columns,
      client: control,
      copy: `COPY ${quoteIdent(`new_${table.name}`)} (${columnList(table)}) FROM STDIN (FORMAT binary)`,
    });
    copied.set(table.name, rows);
  }
  lap('copy');

  setPhase('applying the changes');
  const results: pg.QueryResult[] = [];
  const apply = async (name: string): Promise<void> => {
    results.push(...[(await control.query(pgSql(name))) as unknown as pg.QueryResult[]].flat());
  };
  await apply('72_incremental_apply');
  const keysAsSet = await keysCheckedAsSet(control, names.target);
  if (keysAsSet) await apply('77_new_facts_keys_checked');
  await apply('76_new_facts');
  if (keysAsSet) await control.query('SET LOCAL session_replication_role = origin');
  await apply('78_incremental_apply_rest');
  const changes = new Map<TableName, TableChange>(EXPORT_TABLES.map((t) => [t.name, {table: t.name, copied: copied.get(t.name) ?? 0, inserted: 0, updated: 0, deleted: 0}]));
  for (const row of results.flatMap((r) => r.rows as {table_name?: TableName; inserted: string; updated: string; deleted: string}[])) {
    const change = row.table_name ? changes.get(row.table_name) : undefined;
    if (!change) continue;
    change.inserted += Number(row.inserted);
    change.updated += Number(row.updated);
    change.deleted += Number(row.deleted);
  }
  lap('apply');

  setPhase('reconciling with DuckDB');
  await control.query(pgSql('71_change_scope'));
  // each scope's rows by their keys' index (nested loops over change_key), not by a scan of the whole table,
  // which the planner prefers for a million keys but costs 7-13 s at 100M fact rows
  await control.query('SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off');
  const scopePg = checksumRows((await control.query(checksumSql('pg_temp'))).rows);
  const scopeDuck = await duckChecksums(duckdb, checksumSql('temp.main'));
  // the exact counts as the planner likes them (a parallel heap scan of the fact table): forcing index-only
  // scans of the smallest index read 7x less but cost ~15 % more CPU when cached, and measured no faster at
  // 100M + 1M (BENCHMARKS.md)
  const countsPg = rowCounts((await control.query(pgSql('73_row_counts'))).rows);
  const countsDuck = rowCounts((await duckdb.runAndReadAll(fillSql(loadSql('postgres', '73_row_counts'), {schema: warehouseSchema}))).getRowObjectsJson());
  const mismatch = countMismatch(countsDuck, countsPg) ?? scopeMismatch(scopeDuck, scopePg);
  if (mismatch) {
    await control.query('ROLLBACK');
    throw new IncrementalMismatch(mismatch);
  }
  lap('reconcile');

  setPhase('publishing (the commit of the incremental export)');
  await control.query(`COMMENT ON SCHEMA ${target} IS ${quoteLiteral(exportComment(nfxVersion(), {path: warehouse.path, runId: warehouse.etlRunId}, new Date()))}`);
  await control.query('COMMIT');
  lap('commit');
  log().info(`applied run(s) ${plan.runs.join(', ') || '(none: up to date)'} to schema "${names.target}" (it held run ${plan.fromRun})`);
  return {fromRun: plan.fromRun, runsApplied: plan.runs, changes: [...changes.values()], rowCounts: countsPg, changedScope: scopePg, newFactKeys: keysAsSet ? 'set' : 'row', phases};
}

/**
 * Whether the new fact rows' foreign keys are checked as one set (sql/postgres/77_new_facts_keys_checked.sql)
 * rather than by the triggers row by row: where the role is a superuser and fact_ratings has no trigger of
 * its own. Elsewhere (a managed server's ordinary role) the triggers check them, as they do every insert.
 */
async function keysCheckedAsSet(control: pg.Client, schema: string): Promise<boolean> {
  const {rows} = await control.query<{superuser: boolean; own_triggers: boolean}>(loadSql('postgres', '77_keys_check_allowed'), [schema]);
  return rows[0].superuser && !rows[0].own_triggers;
}

/**
 * The order the new fact rows go in (76_new_facts.sql): that of the unique (customer_key, movie_key)
 * index, the one of the four whose insertions a random order scatters over the whole index (the primary key
 * and the movie and date indexes take each new row at a few hot spots whatever the order), which also makes the
 * dim_customer foreign-key lookups sequential. At 10M + 1 % the orders measured within noise of each other
 * (backend CPU of the insert 3.33 s, by rating_key 3.56 s, by (movie_key, customer_key) 3.25 s), all below
 * the upsert's 4.22 s (BENCHMARKS.md).
 */
const FACT_ORDER = 'customer_key, movie_key';

/** Run ids as a SQL list of string literals (NULL when none: IN (NULL) holds for no row). */
function quotedRuns(runs: readonly string[]): string {
  return runs.length > 0 ? runs.map(sqlString).join(', ') : 'NULL';
}

async function duckChecksums(duckdb: DuckDBConnection, sql: string): Promise<Checksums> {
  const rows = (await duckdb.runAndReadAll(sql)).getRows();
  return checksumRows(rows.map(([table, count, checksum]) => ({table_name: String(table), row_count: String(count), checksum: String(checksum)})));
}

function rowCounts(rows: {table_name?: unknown; row_count?: unknown}[]): Record<TableName, number> {
  return Object.fromEntries(rows.map((r) => [String(r.table_name), Number(r.row_count)])) as Record<TableName, number>;
}

/** The first table whose row count differs, as a message; null when all agree. */
export function countMismatch(expected: Record<TableName, number>, found: Record<TableName, number>): string | null {
  const table = EXPORT_TABLES.find((t) => expected[t.name] !== found[t.name]);
  return table ? `${table.name} has ${found[table.name] ?? 0} rows in PostgreSQL after the apply, ${expected[table.name]} in DuckDB` : null;
}

/** The first table whose changed rows differ (count or checksum), as a message; null when all agree. */
export function scopeMismatch(expected: Checksums, found: Checksums): string | null {
  const table = EXPORT_TABLES.find((t) => expected[t.name].rows !== found[t.name]?.rows || expected[t.name].checksum !== found[t.name]?.checksum);
  if (!table) return null;
  const want = expected[table.name];
  const got = found[table.name];
  return `the changed rows of ${table.name} differ: DuckDB has ${want.rows} (checksum ${want.checksum}), PostgreSQL ${got?.rows ?? 0} (checksum ${got?.checksum ?? '-'})`;
}

function round(seconds: number): number {
  return Number(seconds.toFixed(3));
}
