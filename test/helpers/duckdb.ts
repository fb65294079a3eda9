/**
 * Reads a DuckDB file in a test: `await queryDuckDB(path, 'SELECT ...')` returns rows as plain JS
 * objects (BIGINT as number or bigint, DATE as 'YYYY-MM-DD'). The file is opened read-only and closed.
 */
import {DuckDBInstance} from '@duckdb/node-api';

export type Row = Record<string, unknown>;

export async function queryDuckDB(path: string, ...sql: string[]): Promise<Row[]> {
  const instance = await DuckDBInstance.create(path, {access_mode: 'READ_ONLY'});
  const connection = await instance.connect();
  try {
    let rows: Row[] = [];
    for (const statement of sql) {
      const reader = await connection.runAndReadAll(statement);
      // JSON form keeps dates as text; 64/128-bit integers come as strings and are made numbers here
      const wide = new Set(
        reader.columnNames().filter((_, i) => ['BIGINT', 'UBIGINT', 'HUGEINT', 'UHUGEINT'].includes(reader.columnTypes()[i].toString())),
      );
      rows = (reader.getRowObjectsJson() as Row[]).map((row) =>
        Object.fromEntries(Object.entries(row).map(([name, value]) => [name, wide.has(name) && value !== null ? Number(value) : value])),
      );
    }
    return rows;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
