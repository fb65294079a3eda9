/**
 * Warehouses and comparisons for export tests.
 *
 *   const db = await generatedWarehouse({ratings: '30000', seed: '3', dirty: true});   // a DuckDB file
 *   expect(await pgTable(client, 'netflix_dw', 'dim_movie')).toEqual(await duckdbTable(db, 'dim_movie'));
 *
 * Rows come back as arrays of JS values, normalised the same way on both sides (BIGINT as number, DATE as
 * 'YYYY-MM-DD', TIMESTAMPTZ as microseconds since 1970) and sorted, so tables compare row for row.
 */
import {join} from 'node:path';
import type pg from 'pg';
import {generateDataSet} from '../../src/generate/generate.js';
import {resolveGenerateOptions} from '../../src/generate/options.js';
import {EXPORT_TABLES, type TableName} from '../../src/export/tables.js';
import {queryDuckDB} from '../helpers/duckdb.js';
import {tempDir} from '../helpers/tmp.js';
import {transform} from '../transform/dataset.js';

export interface GenerateFlags {
  ratings: string;
  seed?: string;
  dirty?: boolean;
}

/** A folder of `nfx generate` files (Kaggle layout), for runs of nfx transform. */
export async function generatedData(flags: GenerateFlags): Promise<string> {
  const data = join(tempDir('nfx-export-data-'), 'data');
  await generateDataSet(resolveGenerateOptions({out: data, seed: '1', ...flags}));
  return data;
}

export async function generatedWarehouse(flags: GenerateFlags): Promise<string> {
  const t = await transform(await generatedData(flags), {maxRejectRate: 1});
  return t.db;
}

const table = (name: TableName) => EXPORT_TABLES.find((t) => t.name === name)!;

const sortRows = (rows: unknown[][]): unknown[][] => rows.map((r) => [JSON.stringify(r), r] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);

export async function duckdbTable(db: string, name: TableName): Promise<unknown[][]> {
  const columns = table(name).columns.map((c, i) => `${c.kind === 'timestamptz' ? `epoch_us(${c.name})` : c.name} AS c${i}`);
  const rows = await queryDuckDB(db, `SELECT ${columns.join(', ')} FROM ${name}`);
  return sortRows(rows.map((r) => Object.values(r)));
}

export async function pgTable(client: pg.Client, schema: string, name: TableName): Promise<unknown[][]> {
  const columns = table(name).columns.map((c, i) => {
    const expression =
      c.kind === 'int8'
        ? `CAST(${c.name} AS DOUBLE PRECISION)`
        : c.kind === 'date'
          ? `CAST(${c.name} AS TEXT)`
          : c.kind === 'timestamptz'
            ? `CAST(CAST(extract(epoch FROM ${c.name}) * 1000000 AS BIGINT) AS DOUBLE PRECISION)`
            : c.name;
    return `${expression} AS c${i}`;
  });
  const {rows} = await client.query({text: `SELECT ${columns.join(', ')} FROM ${client.escapeIdentifier(schema)}.${name}`, rowMode: 'array'});
  return sortRows(rows as unknown[][]);
}

/** Schemas of the current database, system ones aside. */
export async function schemas(client: pg.Client): Promise<string[]> {
  const {rows} = await client.query<{nspname: string}>(
    "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname NOT IN ('information_schema', 'public') ORDER BY 1",
  );
  return rows.map((r) => r.nspname);
}

export async function count(client: pg.Client, schema: string, name: TableName): Promise<number> {
  const {rows} = await client.query<{n: number}>(`SELECT count(*)::int AS n FROM ${client.escapeIdentifier(schema)}.${name}`);
  return rows[0].n;
}
