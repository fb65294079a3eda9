import type pg from 'pg';
import {UserError} from '../errors.js';
import {redact} from '../log.js';
import {plural} from '../progress.js';
import {fillSql, loadSql} from '../sql.js';
import {resolveTarget} from '../export/connection.js';
import {parseExportComment, quoteIdent, schemaNames, type ExportOrigin} from '../export/publish.js';
import {EXPORT_TABLES, checksumSql, type TableName} from '../export/tables.js';
import {checksumRows, openWarehouse, type TableChecksum} from '../export/warehouse.js';
import {duckdbIntegrity, INTEGRITY_CHECKS, postgresIntegrity, type Integrity} from './integrity.js';

export interface VerifyOptions {
  db: string;
  /** postgres:// URL; undefined: DATABASE_URL, else the PG* variables (as nfx export). */
  url?: string;
  schema: string;
}

export interface TableComparison {
  table: TableName;
  duckdb: TableChecksum;
  /** null: the table is missing from the PostgreSQL schema. */
  postgres: TableChecksum | null;
  rowsMatch: boolean;
  checksumMatch: boolean;
}

/** One aggregate table recomputed from fact_ratings inside PostgreSQL (sql/postgres/45_aggregate_audit.sql). */
export interface AggregateAudit {
  table: TableName;
  /** Keys whose stored row is missing, extra or holds other values than the recomputation; 0 in a sound load. */
  differingRows: number;
  /** The smallest key among the differing rows, e.g. "movie_key 5"; null when none differ. */
  firstKey: string | null;
}

export interface Verification {
  db: string;
  /** host:port/database; never credentials. */
  target: string;
  schema: string;
  /** true when every table, every integrity check and both views agree. */
  ok: boolean;
  tables: TableComparison[];
  /** null on the PostgreSQL side when a table is missing there (the checks need every table). */
  integrity: {duckdb: Integrity; postgres: Integrity | null};
  /** Each aggregate table against its recomputation from fact_ratings in PostgreSQL; null when a table is missing there. */
  aggregates: AggregateAudit[] | null;
  /** What the schema's comment says was exported into it (null: no nfx export comment). */
  exportedFrom: ExportOrigin | null;
  /**
   * One readable line per difference, in table order, then the integrity checks and the aggregate audit; first,
   * when the schema holds the export of another warehouse file or transform run, a line that says so.
   */
  differences: string[];
}

const APPLICATION = 'nfx verify';
const count = (n: number): string => n.toLocaleString('en-US');

/**
 * Compares the PostgreSQL schema an export published with the DuckDB file: row counts and checksums of every
 * table (the reconciliation SQL and code of nfx export, so both commands agree by construction), orphan
 * foreign keys, the rating range, the row counts of the two views, and each aggregate table against its
 * recomputation from fact_ratings inside PostgreSQL.
 */
export async function verifyPostgres(options: VerifyOptions): Promise<Verification> {
  const names = schemaNames(options.schema);
  const target = resolveTarget(options.url);
  const warehouse = await openWarehouse(options.db);
  let client: pg.Client | undefined;
  try {
    const duckdb = await duckdbIntegrity(warehouse.handle.connection);
    client = await target.connect(APPLICATION);
    const schema = quoteIdent(names.target);
    const present = await postgresTables(client, names.target, target.display);

    const missing = EXPORT_TABLES.filter((t) => !present.has(t.name));
    const loaded = missing.length === 0 ? checksumRows((await client.query(checksumSql(schema))).rows) : null;
    const postgres = missing.length === 0 ? await postgresIntegrity(client, schema) : null;
    const aggregates = missing.length === 0 ? await auditAggregates(client, schema) : null;

    const checksums = await warehouse.checksums();
    const tables = EXPORT_TABLES.map((t): TableComparison => {
      const want = checksums[t.name];
      const got = present.has(t.name) ? (loaded?.[t.name] ?? null) : null;
      return {table: t.name, duckdb: want, postgres: got, rowsMatch: got?.rows === want.rows, checksumMatch: got?.checksum === want.checksum};
    });
    const exportedFrom = parseExportComment(await schemaComment(client, names.target));
    const differences = [...tableDifferences(tables, present), ...integrityDifferences(duckdb, postgres), ...aggregateDifferences(aggregates)];
    const origin = differences.length > 0 ? originDifference(exportedFrom, {path: warehouse.path, runId: warehouse.etlRunId}, names.target) : null;
    if (origin) differences.unshift(origin);
    return {
      db: warehouse.path,
      target: target.display,
      schema: names.target,
      ok: differences.length === 0,
      tables,
      integrity: {duckdb, postgres},
      aggregates,
      exportedFrom,
      differences,
    };
  } catch (err) {
    throw postgresError(err, target.display, names.target);
  } finally {
    await client?.end().catch(() => undefined);
    warehouse.close();
  }
}

/** The exported tables present in the schema; a schema that does not exist is a usage error (exit 2). */
async function postgresTables(client: pg.Client, schema: string, display: string): Promise<Set<string>> {
  const {rows} = await client.query<{table_name: string}>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [schema]);
  if (rows.length === 0) {
    throw new UserError(`PostgreSQL at ${display} has no tables in schema "${schema}"; run nfx export first, or pass the --schema it exported to`);
  }
  return new Set(rows.map((r) => r.table_name));
}

async function schemaComment(client: pg.Client, schema: string): Promise<string | null> {
  const {rows} = await client.query<{comment: string | null}>("SELECT obj_description(oid, 'pg_namespace') AS comment FROM pg_namespace WHERE nspname = $1", [schema]);
  return rows[0]?.comment ?? null;
}

/** When the differences come from comparing with another warehouse (file or transform run), the line that says so. */
function originDifference(exported: ExportOrigin | null, warehouse: ExportOrigin, schema: string): string | null {
  if (!exported || (exported.path === warehouse.path && exported.runId === warehouse.runId)) return null;
  const describe = (o: ExportOrigin): string => `${o.path}${o.runId ? ` (transform run ${o.runId})` : ''}`;
  if (exported.path === warehouse.path) {
    return `schema "${schema}" holds an export of another transform of this file: ${describe(exported)}; the file now holds transform run ${warehouse.runId ?? 'none'}`;
  }
  return `schema "${schema}" holds an export of another warehouse, ${describe(exported)}, not of ${describe(warehouse)}`;
}

function tableDifferences(tables: TableComparison[], present: Set<string>): string[] {
  const lines: string[] = [];
  for (const t of tables) {
    if (!present.has(t.table)) {
      lines.push(`${t.table}: missing in PostgreSQL (DuckDB has ${count(t.duckdb.rows)} ${plural(t.duckdb.rows, 'row')})`);
      continue;
    }
    if (!t.postgres) continue; // another table is missing, so no checksums were computed
    if (!t.rowsMatch) {
      const delta = t.postgres.rows - t.duckdb.rows;
      lines.push(`${t.table}: PostgreSQL has ${count(t.postgres.rows)} rows, DuckDB ${count(t.duckdb.rows)} (${count(Math.abs(delta))} ${delta < 0 ? 'fewer' : 'more'})`);
    }
    if (!t.checksumMatch) lines.push(`${t.table}: checksum ${t.postgres.checksum} in PostgreSQL, ${t.duckdb.checksum} in DuckDB (the values differ)`);
  }
  return lines;
}

function integrityDifferences(duckdb: Integrity, postgres: Integrity | null): string[] {
  if (!postgres) return [];
  const lines: string[] = [];
  for (const check of Object.keys(INTEGRITY_CHECKS) as (keyof Integrity)[]) {
    if (postgres[check] !== duckdb[check]) {
      lines.push(`${INTEGRITY_CHECKS[check]}: ${count(postgres[check])} in PostgreSQL, ${count(duckdb[check])} in DuckDB`);
    }
  }
  return lines;
}

/** `schema` is already an escaped identifier (quoteIdent). */
async function auditAggregates(client: pg.Client, schema: string): Promise<AggregateAudit[]> {
  const {rows} = await client.query<{table_name: TableName; differing_rows: string; first_key: string | null}>(
    fillSql(loadSql('postgres', '45_aggregate_audit'), {schema}),
  );
  return rows.map((r) => ({table: r.table_name, differingRows: Number(r.differing_rows), firstKey: r.first_key}));
}

function aggregateDifferences(aggregates: AggregateAudit[] | null): string[] {
  return (aggregates ?? [])
    .filter((a) => a.differingRows > 0)
    .map((a) => `${a.table}: ${count(a.differingRows)} ${a.differingRows === 1 ? 'row differs' : 'rows differ'} from a recomputation from fact_ratings in PostgreSQL (first: ${a.firstKey})`);
}

/** Server errors after connecting (connect errors are UserErrors already); passwords never appear. */
function postgresError(err: unknown, display: string, schema: string): unknown {
  if (err instanceof UserError) return err;
  const e = err as {code?: string; message?: string};
  const message = redact(e?.message ?? String(err));
  if (e?.code === '42501') return new UserError(`PostgreSQL at ${display} refused to let this role read schema "${schema}": ${message}; GRANT USAGE and SELECT to it`);
  if (e?.code === '42P01' || e?.code === '42703') {
    return new UserError(`schema "${schema}" at ${display} is not an nfx export this version can check (${message}); run nfx export again`);
  }
  if (/Connection terminated|terminating connection/i.test(message) || ['57P01', '08006', 'ECONNRESET'].includes(e?.code ?? '')) {
    return new UserError(`the connection to PostgreSQL at ${display} was closed during verify (${message}); run it again`);
  }
  return err;
}
