import {existsSync, statSync} from 'node:fs';
import {resolve} from 'node:path';
import type {DuckDBConnection} from '@duckdb/node-api';
import {openDuckDB, type DuckDBHandle} from '../duckdb.js';
import {UserError} from '../errors.js';
import {DUCKDB_TYPE, EXPORT_TABLES, checksumSql, earlierWarehouse, type TableName} from './tables.js';

/** Row count and checksum of one table (sql/postgres/40_checksums.sql), as DuckDB or PostgreSQL computed them. */
export interface TableChecksum {
  rows: number;
  checksum: string;
}

export type Checksums = Record<TableName, TableChecksum>;

/** An nfx warehouse opened for export: read-only, with its tables checked against what the export writes. */
export interface Warehouse {
  path: string;
  handle: DuckDBHandle;
  /**
   * Row count and checksum of every table (checksumSql() over all rows: ~5 CPU-s at 100M ratings),
   * computed on the first call, which only a full export makes: an incremental one reconciles its scope.
   */
  checksums(): Promise<Checksums>;
  /** Rows of fact_ratings. */
  factRows: number;
  /** First and last rating_key, to split the fact table into --jobs ranges; null when it is empty. */
  ratingKeys: {min: number; max: number} | null;
  /** run_id of the latest transform run recorded in etl_run. */
  etlRunId: string | null;
  /** A further connection to the same database (one per concurrent stream). */
  connect(): Promise<DuckDBConnection>;
  close(): void;
}

/**
 * DuckDB's buffer pool while exporting. Streaming scans need little, but the pool keeps every block it read
 * until the cap: at 100M ratings 256MB of cache put the export's peak RSS at 486-499 MiB, 96MB at 339 MiB,
 * with the COPY as fast.
 */
const EXPORT_MEMORY_LIMIT = '96MB';

/**
 * Opens the DuckDB file written by `nfx transform`. Its buffer pool is capped so the export's memory stays
 * flat whatever the table sizes: streaming reads need little, and cached blocks beyond the cap are evicted.
 */
export async function openWarehouse(db: string, options: {memoryLimit?: string; threads?: number} = {}): Promise<Warehouse> {
  const path = resolve(db);
  if (!existsSync(path)) throw new UserError(`DuckDB file not found: ${path}; build it with nfx transform or pass --db FILE`);
  if (statSync(path).isDirectory()) throw new UserError(`${path} is a directory; pass --db with the DuckDB file written by nfx transform`);
  const handle = await openDuckDB(path, {readOnly: true, memoryLimit: options.memoryLimit ?? EXPORT_MEMORY_LIMIT, threads: options.threads ?? 2});
  try {
    await checkWarehouse(handle.connection, path);
    let checksums: Promise<Checksums> | undefined;
    const [keys] = (
      await handle.connection.runAndReadAll('SELECT CAST(min(rating_key) AS DOUBLE), CAST(max(rating_key) AS DOUBLE), CAST(count(*) AS DOUBLE) FROM fact_ratings')
    ).getRows();
    const ratingKeys = keys[0] === null ? null : {min: Number(keys[0]), max: Number(keys[1])};
    const [run] = (await handle.connection.runAndReadAll('SELECT max_by(run_id, finished_at) FROM etl_run')).getRows();
    const connections: DuckDBConnection[] = [];
    return {
      path,
      handle,
      checksums: () => (checksums ??= warehouseChecksums(handle.connection)),
      factRows: Number(keys[2]),
      ratingKeys,
      etlRunId: run[0] === null ? null : String(run[0]),
      async connect() {
        const connection = await handle.instance.connect();
        connections.push(connection);
        return connection;
      },
      close() {
        for (const connection of connections) connection.closeSync();
        handle.close();
      },
    };
  } catch (err) {
    handle.close();
    throw err;
  }
}

/** An nfx warehouse has every exported table with the exported columns and types (a file from another tool does not). */
async function checkWarehouse(connection: DuckDBConnection, path: string): Promise<void> {
  const rows = (
    await connection.runAndReadAll("SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'main'")
  ).getRows();
  const found = new Map<string, Map<string, string>>();
  for (const [table, column, type] of rows) {
    const columns = found.get(String(table)) ?? new Map<string, string>();
    columns.set(String(column), String(type));
    found.set(String(table), columns);
  }
  const missingTables = EXPORT_TABLES.filter((t) => !found.has(t.name)).map((t) => t.name);
  if (missingTables.length > 0) {
    const earlier = earlierWarehouse(path, missingTables);
    if (earlier) throw new UserError(earlier);
    throw new UserError(`${path} is not an nfx warehouse (no table ${missingTables.join(', ')}); build it with nfx transform or pass --db FILE`);
  }
  for (const table of EXPORT_TABLES) {
    const columns = found.get(table.name)!;
    for (const column of table.columns) {
      const type = columns.get(column.name);
      if (type !== DUCKDB_TYPE[column.kind]) {
        throw new UserError(
          `${path} is not an nfx warehouse this version can export: ${table.name}.${column.name} is ${type ?? 'missing'}, expected ${DUCKDB_TYPE[column.kind]}; rebuild it with nfx transform`,
        );
      }
    }
  }
}

async function warehouseChecksums(connection: DuckDBConnection): Promise<Checksums> {
  const reader = await connection.runAndReadAll(checksumSql('main'));
  return checksumRows(reader.getRows().map(([table, rows, checksum]) => ({table_name: String(table), row_count: String(rows), checksum: String(checksum)})));
}

/** Rows of checksumSql() (from either engine) as Checksums. */
export function checksumRows(rows: {table_name: string; row_count: string | number; checksum: string}[]): Checksums {
  const result: Partial<Checksums> = {};
  for (const row of rows) result[row.table_name as TableName] = {rows: Number(row.row_count), checksum: row.checksum};
  return result as Checksums;
}
