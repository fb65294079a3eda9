import {readdirSync} from 'node:fs';
import {join} from 'node:path';
import {INTEGER, VARCHAR, type DuckDBType, type DuckDBValue} from '@duckdb/node-api';
import {UserError} from '../errors.js';
import {loadSql, PACKAGE_ROOT} from '../sql.js';

/**
 * The ready reports of `nfx query --report NAME`: one file each in sql/duckdb/reports, named after the report.
 * A file declares itself in its first comment lines:
 *
 *   -- @summary The most rated movies, with their average rating.
 *   -- @param limit integer = 20: how many movies to list
 *   -- @param id integer (required): the movie_id
 *   -- @param customer integer (optional): one customer_id; every customer when left out
 *
 * and refers to a parameter as $name, bound as a prepared-statement value (never spliced into the SQL).
 */

export type ReportParamType = 'integer' | 'text';

export interface ReportParam {
  name: string;
  type: ReportParamType;
  /** The value used when --param does not give one; undefined with required, null with optional. */
  defaultValue?: string | null;
  required: boolean;
  description: string;
}

export interface Report {
  name: string;
  summary: string;
  params: ReportParam[];
  sql: string;
}

const REPORTS_DIR = join(PACKAGE_ROOT, 'sql', 'duckdb', 'reports');
const SUMMARY = /^--\s*@summary\s+(.+)$/;
const PARAM = /^--\s*@param\s+(\w+)\s+(integer|text)\s*(?:=\s*(\S+)|\((required|optional)\))\s*:\s*(.+)$/;
const INT32 = /^-?\d{1,10}$/;

export function reportNames(): string[] {
  return readdirSync(REPORTS_DIR)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => file.slice(0, -'.sql'.length))
    .sort();
}

export function loadReport(name: string): Report {
  const names = reportNames();
  if (!names.includes(name)) throw new UserError(`unknown report "${name}"; the reports are: ${names.join(', ')} (see nfx query --help)`);
  const sql = loadSql('duckdb', `reports/${name}`);
  let summary = '';
  const params: ReportParam[] = [];
  for (const line of sql.split('\n')) {
    if (!line.startsWith('--')) break;
    const summaryMatch = SUMMARY.exec(line);
    if (summaryMatch) summary = summaryMatch[1].trim();
    const param = PARAM.exec(line.trim());
    if (param) {
      const [, paramName, type, defaultValue, presence, description] = param;
      params.push({
        name: paramName,
        type: type as ReportParamType,
        defaultValue: defaultValue ?? (presence === 'optional' ? null : undefined),
        required: presence === 'required',
        description: description.trim(),
      });
    }
  }
  return {name, summary, params, sql};
}

export function allReports(): Report[] {
  return reportNames().map(loadReport);
}

/** One line per report, `name: summary` and its parameters, for --help (oclif wraps long lines). */
export function describeReports(): string {
  return allReports()
    .map((report) => {
      const params = report.params.map((p) => {
        const presence = p.required ? 'required' : p.defaultValue === null ? 'optional' : `default ${p.defaultValue}`;
        return ` --param ${p.name}=<${p.type}> (${presence}): ${p.description}.`;
      });
      return `- ${report.name}: ${report.summary}${params.join('')}`;
    })
    .join('\n');
}

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
