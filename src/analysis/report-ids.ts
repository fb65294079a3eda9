import type {DuckDBConnection} from '@duckdb/node-api';
import {UserError} from '../errors.js';
import type {BoundParams} from './report-params.js';
import type {Report, ReportIdCheck} from './reports.js';

/** `dim_movie` -> `movie`: the word the user knows the table's rows by. */
const rowNoun = (table: string): string => table.replace(/^dim_/, '');

async function idIsKnown(connection: DuckDBConnection, check: ReportIdCheck, bound: BoundParams): Promise<boolean> {
  // table and column come from the report file's @must-exist line (\w+ only); the value is bound
  const lookup = `SELECT 1 FROM ${check.table} WHERE ${check.column} = $value LIMIT 1`;
  const reader = await connection.runAndReadAll(lookup, {value: bound.values[check.param]}, {value: bound.types[check.param]});
  return reader.currentRowCount > 0;
}

/**
 * Refuses a report whose id names nothing (`--param id=99999` for a movie the warehouse does not have): an
 * empty answer would look like "no similar movies", so it is the user's mistake, exit 2, one line naming it.
 * A left-out optional parameter (null) is not checked.
 */
export async function requireKnownIds(connection: DuckDBConnection, report: Report, bound: BoundParams): Promise<void> {
  for (const check of report.idChecks) {
    const value = bound.values[check.param];
    if (value === null || value === undefined) continue;
    if (!(await idIsKnown(connection, check, bound))) {
      throw new UserError(`--param ${check.param}=${String(value)}: no ${rowNoun(check.table)} with ${check.column} ${String(value)} in the warehouse`);
    }
  }
}
