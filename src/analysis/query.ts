import type {DuckDBConnection, DuckDBType, DuckDBValue} from '@duckdb/node-api';
import {UserError} from '../errors.js';
import {prepareReadOnly} from './read-only.js';
import type {RowOutput} from './row-output.js';
import {plainValue} from './values.js';

export interface QueryRequest {
  sql: string;
  /** Named ($name) or numbered ($1) parameters, bound as prepared-statement values. */
  params?: {values: Record<string, DuckDBValue>; types?: Record<string, DuckDBType>};
}

export interface QueryOutcome {
  columns: string[];
  rows: number;
  /** The reader went away before the end (a closed pipe); the rest was not fetched. */
  stopped: boolean;
}

const firstLine = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0];

/**
 * Runs one read-only query and streams its result to `output` chunk by chunk (DuckDB's streaming result:
 * only the chunk being written is in memory). `isClosed` stops the fetching when the reader has gone.
 */
export async function streamQuery(connection: DuckDBConnection, request: QueryRequest, output: RowOutput, isClosed = () => false): Promise<QueryOutcome> {
  const prepared = await prepareReadOnly(connection, request.sql);
  try {
    const declared = Array.from({length: prepared.parameterCount}, (_, i) => prepared.parameterName(i + 1));
    const unknown = Object.keys(request.params?.values ?? {}).filter((name) => !declared.includes(name));
    if (unknown.length > 0) {
      const has = declared.length > 0 ? `its parameters are ${declared.map((n) => `$${n}`).join(', ')}` : 'it has no parameters';
      throw new UserError(`--param ${unknown[0]}: the query has no parameter $${unknown[0]}; ${has}`);
    }
    if (request.params) {
      try {
        prepared.bind(request.params.values, request.params.types);
      } catch (err) {
        throw new UserError(`cannot bind --param: ${firstLine(err)}`);
      }
    }
    const result = await prepared.stream().catch((err: unknown) => {
      throw new UserError(`query failed: ${firstLine(err)}`);
    });
    const columns = result.deduplicatedColumnNames();
    await output.begin(columns, result.columnTypes());
    let rows = 0;
    for (;;) {
      if (isClosed()) return {columns, rows, stopped: true};
      const chunk = await result.fetchChunk().catch((err: unknown) => {
        throw new UserError(`query failed: ${firstLine(err)}`);
      });
      if (!chunk || chunk.rowCount === 0) break;
      rows += chunk.rowCount;
      await output.rows(chunk.convertRows(plainValue));
    }
    await output.end(rows);
    return {columns, rows, stopped: false};
  } finally {
    prepared.destroySync();
  }
}

/** Free SQL with --param name=value: every value is bound as text (cast it in the SQL: $year::INTEGER). */
export function textParams(given: Record<string, string>): QueryRequest['params'] {
  return Object.keys(given).length === 0 ? undefined : {values: given};
}
