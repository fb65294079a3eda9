import {readdirSync} from 'node:fs';
import {join} from 'node:path';
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
 *   -- @must-exist id dim_movie.movie_id
 *
 * (`@must-exist`: a given value must name a row of that table, else the user gets exit 2 and one line naming
 * it, not an empty answer; see report-ids.ts) and refers to a parameter as $name, bound as a prepared-statement value (never spliced into the SQL):
 * see report-params.ts. Where two reports compute the same thing, the CTEs that do it live once in
 * sql/duckdb/reports/shared/NAME.sql and each report writes `{{> NAME}}` where they go in its WITH list.
 * This file reads no database, so --help can list the reports cheaply.
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

/** A parameter whose value must be found in `table.column` (a movie_id that the warehouse has, say). */
export interface ReportIdCheck {
  param: string;
  table: string;
  column: string;
}

export interface Report {
  name: string;
  summary: string;
  params: ReportParam[];
  idChecks: ReportIdCheck[];
  sql: string;
}

const REPORTS_DIR = join(PACKAGE_ROOT, 'sql', 'duckdb', 'reports');
const SUMMARY = /^--\s*@summary\s+(.+)$/;
const PARAM = /^--\s*@param\s+(\w+)\s+(integer|text)\s*(?:=\s*(\S+)|\((required|optional)\))\s*:\s*(.+)$/;
const MUST_EXIST = /^--\s*@must-exist\s+(\w+)\s+(\w+)\.(\w+)$/;
const SHARED_CTES = /\{\{>\s*([\w-]+)\s*\}\}/g;

export function reportNames(): string[] {
  return readdirSync(REPORTS_DIR)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => file.slice(0, -'.sql'.length))
    .sort();
}

export function loadReport(name: string): Report {
  const names = reportNames();
  if (!names.includes(name)) throw new UserError(`unknown report "${name}"; the reports are: ${names.join(', ')} (see nfx query --help)`);
  const sql = loadSql('duckdb', `reports/${name}`).replace(SHARED_CTES, (_, shared: string) => loadSql('duckdb', `reports/shared/${shared}`).trimEnd());
  let summary = '';
  const params: ReportParam[] = [];
  const idChecks: ReportIdCheck[] = [];
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
    const mustExist = MUST_EXIST.exec(line.trim());
    if (mustExist) idChecks.push({param: mustExist[1], table: mustExist[2], column: mustExist[3]});
  }
  return {name, summary, params, idChecks, sql};
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
