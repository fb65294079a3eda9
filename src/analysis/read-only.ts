import type {DuckDBConnection, DuckDBPreparedStatement} from '@duckdb/node-api';
import {StatementType} from '../duckdb-api.js';
import {UserError} from '../errors.js';

const firstLine = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0];

/**
 * Prepares the one statement of `sql` and refuses anything but a query. Three locks, each enough alone for
 * its case: the warehouse is opened READ_ONLY (DuckDB refuses INSERT, UPDATE, DELETE, CREATE, DROP); it is
 * opened without external access (COPY ... TO, EXPORT, ATTACH, INSTALL and reading other files fail when
 * prepared); and here the statement type must be SELECT (which also covers WITH, VALUES, FROM-first,
 * DESCRIBE, SHOW and PRAGMA lookups), so no statement of another kind ever runs.
 */
export async function prepareReadOnly(connection: DuckDBConnection, sql: string): Promise<DuckDBPreparedStatement> {
  if (sql.trim() === '') throw new UserError('no SQL given: pass a query, or --report NAME (see nfx query --help)');
  let statements;
  try {
    statements = await connection.extractStatements(sql);
  } catch (err) {
    throw new UserError(`SQL error: ${firstLine(err).replace(/^Failed to extract statements: /, '')}`);
  }
  if (statements.count === 0) throw new UserError('no SQL given: pass a query, or --report NAME (see nfx query --help)');
  if (statements.count > 1) {
    // DuckDB expands a PIVOT without an IN list into two statements (it first collects the values)
    const pivot = /\bPIVOT\b/i.test(sql) ? ' (a PIVOT without IN (...) counts as two: list the values, as in ON quarter IN (1, 2, 3, 4))' : '';
    throw new UserError(`nfx query runs one statement at a time and this input has ${statements.count}; pass them one by one${pivot}`);
  }
  let prepared: DuckDBPreparedStatement;
  try {
    prepared = await statements.prepare(0);
  } catch (err) {
    const message = firstLine(err);
    if (/^Permission Error/.test(message)) {
      throw new UserError(`refused: nfx query only reads the warehouse and cannot read or write any other file (${message})`);
    }
    throw new UserError(`SQL error: ${message}`);
  }
  if (prepared.statementType !== StatementType.SELECT) {
    const kind = statementKind(sql, StatementType[prepared.statementType] ?? String(prepared.statementType));
    prepared.destroySync();
    throw new UserError(`refused: nfx query is read-only and runs only SELECT queries, not ${kind} statements`);
  }
  return prepared;
}

/** The statement's kind as the user wrote it: DuckDB files INSTALL under LOAD, so its leading keyword says which. */
function statementKind(sql: string, duckdbKind: string): string {
  const keyword = /^\s*([A-Za-z]+)/.exec(sql)?.[1]?.toUpperCase();
  return duckdbKind === 'LOAD' && keyword ? keyword : duckdbKind;
}
