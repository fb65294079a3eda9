import {statSync} from 'node:fs';
import {resolve} from 'node:path';
import type {DuckDBConnection} from '@duckdb/node-api';
import {openDuckDB} from '../duckdb.js';
import {UserError} from '../errors.js';
import {loadSql} from '../sql.js';

/** What makes a DuckDB file an nfx warehouse: the star schema, rejects and lineage, and the two views. */
export const WAREHOUSE_TABLES = ['dim_date', 'dim_movie', 'dim_customer', 'fact_ratings', 'fact_qualifying', 'rejects', 'etl_run', 'source_file'] as const;
export const WAREHOUSE_VIEWS = ['v_daily_rating_summary', 'v_movie_performance'] as const;

export interface Warehouse {
  /** Absolute path of the file. */
  path: string;
  connection: DuckDBConnection;
  close(): void;
}

export interface OpenWarehouseOptions {
  /** false: no file but the warehouse may be read or written through this connection (see openDuckDB). */
  externalAccess?: boolean;
}

/**
 * Opens an nfx warehouse read-only. A missing path is refused before DuckDB sees it (a read-only open must
 * never create an empty database); a file DuckDB cannot open, or a DuckDB file without the star schema, is a
 * user error with one line saying what to pass instead.
 */
export async function openWarehouse(path: string, options: OpenWarehouseOptions = {}): Promise<Warehouse> {
  const absolute = resolve(path);
  let isFile: boolean;
  try {
    isFile = statSync(absolute).isFile();
  } catch {
    throw new UserError(`warehouse not found: ${absolute}; run nfx transform first, or pass --db (or set NFX_DB) with the file it wrote`);
  }
  if (!isFile) throw new UserError(`${absolute} is not a file; pass --db with the DuckDB file nfx transform wrote`);
  const handle = await openDuckDB(absolute, {readOnly: true, externalAccess: options.externalAccess});
  try {
    const reader = await handle.connection.runAndReadAll(loadSql('duckdb', 'inspect/warehouse-tables'));
    const present = new Set(reader.getRows().map(([name]) => String(name)));
    const missing = [...WAREHOUSE_TABLES, ...WAREHOUSE_VIEWS].filter((name) => !present.has(name));
    if (missing.length > 0) {
      throw new UserError(
        `${absolute} is a DuckDB file but not an nfx warehouse (missing ${missing.join(', ')}); pass --db with a file written by nfx transform`,
      );
    }
  } catch (err) {
    handle.close();
    throw err;
  }
  return {path: absolute, connection: handle.connection, close: () => handle.close()};
}
