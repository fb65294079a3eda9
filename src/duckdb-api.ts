import {createRequire} from 'node:module';

/**
 * The values nfx uses from @duckdb/node-api, loaded with require(). The package is CommonJS, and an ESM
 * `import {...}` of it makes Node run its export lexer over every file of the package first: 250-270 ms
 * against 110 ms for require() on this machine, paid by every command at start-up. Types still come from
 * `import type ... from '@duckdb/node-api'`, which compiles away.
 */
type Api = typeof import('@duckdb/node-api');
const api = createRequire(import.meta.url)('@duckdb/node-api') as Api;

export const {BIGINT, INTEGER, TINYINT, VARCHAR} = api;
// Classes and enums: the value and, under the same name, its type.
export const DuckDBDataChunk = api.DuckDBDataChunk;
export type DuckDBDataChunk = import('@duckdb/node-api').DuckDBDataChunk;
export const DuckDBDecimalValue = api.DuckDBDecimalValue;
export type DuckDBDecimalValue = import('@duckdb/node-api').DuckDBDecimalValue;
export const DuckDBInstance = api.DuckDBInstance;
export type DuckDBInstance = import('@duckdb/node-api').DuckDBInstance;
export const JsonDuckDBValueConverter = api.JsonDuckDBValueConverter;
export const DuckDBTypeId = api.DuckDBTypeId;
export type DuckDBTypeId = import('@duckdb/node-api').DuckDBTypeId;
export const StatementType = api.StatementType;
export type StatementType = import('@duckdb/node-api').StatementType;
