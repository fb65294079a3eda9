import type {DuckDBConnection} from '@duckdb/node-api';
import {log} from '../log.js';
import {fillSql, loadSql} from '../sql.js';

/** Runs one sql/duckdb file (with its placeholders filled) and returns the seconds it took. */
export async function runStage(connection: DuckDBConnection, name: string, values: Record<string, string | number> = {}): Promise<number> {
  const started = performance.now();
  await connection.run(fillSql(loadSql('duckdb', name), values));
  const seconds = (performance.now() - started) / 1000;
  log().debug(`sql/duckdb/${name}.sql: ${seconds.toFixed(3)}s`);
  return seconds;
}

/** A DATE literal for the SQL files, or NULL. The text was validated as YYYY-MM-DD by the caller. */
export function dateLiteral(isoDate: string | undefined): string {
  return isoDate ? `DATE '${isoDate}'` : 'NULL';
}
