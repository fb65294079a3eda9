import {statSync} from 'node:fs';
import {resolve} from 'node:path';
import type {DuckDBConnection} from '@duckdb/node-api';
import {openDuckDB} from '../duckdb.js';
import {UserError} from '../errors.js';
import {loadSql} from '../sql.js';
import {EXPORT_TABLES, EXPORT_VIEWS, earlierWarehouse} from '../export/tables.js';

/** What makes a DuckDB file an nfx warehouse: the star schema, rejects and lineage, and the two views. */
export const WAREHOUSE_TABLES: readonly string[] = EXPORT_TABLES.map((t) => t.name);
export const WAREHOUSE_VIEWS = EXPORT_VIEWS;

export interface Warehouse {
  /** Absolute path of the file. */
  path: string;
  connection: DuckDBConnection;
  close(): void;
}

/**
 * A GROUP BY customer_key (fewer than 2^20 customers; the Prize has 480,189) uses DuckDB's perfect hash
 * aggregate, an array of states indexed by the key, instead of its hash table: at 100M ratings a count per
 * customer over all ratings takes 1.3 CPU-s instead of 4.7, similar-customers 6.7 instead of 10.9 (see
 * BENCHMARKS.md). Its memory is one state per possible key and thread: 2^19 x the aggregates' state size.
 */
const PERFECT_HASH_BITS = 20;

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
  const handle = await openDuckDB(absolute, {readOnly: true, externalAccess: options.externalAccess, perfectHashBits: PERFECT_HASH_BITS});
  try {
    const reader = await handle.connection.runAndReadAll(loadSql('duckdb', 'inspect/warehouse-tables'));
    const present = new Set(reader.getRows().map(([name]) => String(name)));
    const missing = [...WAREHOUSE_TABLES, ...WAREHOUSE_VIEWS].filter((name) => !present.has(name));
    if (missing.length > 0) {
      const earlier = earlierWarehouse(absolute, missing);
      if (earlier) throw new UserError(earlier);
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
