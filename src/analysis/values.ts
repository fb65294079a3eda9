import type {DuckDBConnection, DuckDBType, DuckDBValue, DuckDBValueConverter, Json} from '@duckdb/node-api';
import {DuckDBDecimalValue, DuckDBTypeId, JsonDuckDBValueConverter} from '../duckdb-api.js';

/** A value as nfx prints it in JSON, CSV or a table: null, boolean, number, text, or lists and objects of them. */
export type PlainValue = Json;
export type PlainRow = Record<string, PlainValue>;

const WIDE_INTEGERS = new Set([DuckDBTypeId.BIGINT, DuckDBTypeId.UBIGINT, DuckDBTypeId.HUGEINT, DuckDBTypeId.UHUGEINT]);

/**
 * DuckDB values as plain JS, as JSON consumers expect them: counts (BIGINT) and DECIMALs are numbers (a
 * BIGINT beyond 2^53 stays a digit string, so no digit is lost), dates and timestamps are ISO text.
 */
export const plainValue: DuckDBValueConverter<PlainValue> = (value: DuckDBValue, type: DuckDBType, self: DuckDBValueConverter<PlainValue>) => {
  if (value === null) return null;
  if (WIDE_INTEGERS.has(type.typeId)) {
    const number = Number(value as bigint);
    return Number.isSafeInteger(number) ? number : String(value);
  }
  if (type.typeId === DuckDBTypeId.DECIMAL) return (value as DuckDBDecimalValue).toDouble();
  return JsonDuckDBValueConverter(value, type, self);
};

/** Whether a column holds numbers (right-aligned in tables). */
export function isNumericType(type: DuckDBType): boolean {
  return NUMERIC.has(type.typeId);
}

const NUMERIC = new Set([
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.UTINYINT,
  DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UINTEGER,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UHUGEINT,
  DuckDBTypeId.FLOAT,
  DuckDBTypeId.DOUBLE,
  DuckDBTypeId.DECIMAL,
]);

/** Runs one SQL file's statement with named parameters and returns its (small) result as plain rows. */
export async function readRows<T = PlainRow>(
  connection: DuckDBConnection,
  sql: string,
  params?: Record<string, DuckDBValue>,
  types?: Record<string, DuckDBType>,
): Promise<T[]> {
  const reader = await connection.runAndReadAll(sql, params, types);
  return reader.convertRowObjects(plainValue) as unknown as T[];
}
