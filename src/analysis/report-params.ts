import type {DuckDBType, DuckDBValue} from '@duckdb/node-api';
import {INTEGER, VARCHAR} from '../duckdb-api.js';
import {UserError} from '../errors.js';
import type {Report, ReportParamType} from './reports.js';

const INT32 = /^-?\d{1,10}$/;

export interface BoundParams {
  values: Record<string, DuckDBValue>;
  types: Record<string, DuckDBType>;
}

const DUCKDB_TYPES: Record<ReportParamType, DuckDBType> = {integer: INTEGER, text: VARCHAR};

/** Checks --param values against what the report declares and converts them to typed values. */
export function bindReportParams(report: Report, given: Record<string, string>): BoundParams {
  const declared = new Set(report.params.map((p) => p.name));
  for (const name of Object.keys(given)) {
    if (!declared.has(name)) {
      const known = report.params.length > 0 ? `its parameters are ${report.params.map((p) => p.name).join(', ')}` : 'it takes no parameters';
      throw new UserError(`report ${report.name} has no parameter "${name}"; ${known}`);
    }
  }
  const bound: BoundParams = {values: {}, types: {}};
  for (const param of report.params) {
    const text = given[param.name] ?? param.defaultValue;
    if (text === undefined) throw new UserError(`report ${report.name} needs --param ${param.name}=<${param.type}> (${param.description})`);
    bound.types[param.name] = DUCKDB_TYPES[param.type];
    if (text === null) bound.values[param.name] = null;
    else if (param.type === 'integer') {
      const value = Number(text);
      if (!INT32.test(text) || value > 2147483647 || value < -2147483648) {
        throw new UserError(`--param ${param.name}=${text} is not an integer; report ${report.name} expects ${param.description}`);
      }
      bound.values[param.name] = value;
    } else bound.values[param.name] = text;
  }
  return bound;
}

/** `--param k=v` flags as a record; a repeated name keeps the last value. */
export function parseParamFlags(flags: readonly string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const flag of flags) {
    const equals = flag.indexOf('=');
    const name = equals > 0 ? flag.slice(0, equals).trim() : '';
    if (!/^\w+$/.test(name)) throw new UserError(`--param ${flag} is not name=value (for example --param limit=10)`);
    params[name] = flag.slice(equals + 1);
  }
  return params;
}
