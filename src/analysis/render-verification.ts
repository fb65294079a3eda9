import {INTEGRITY_CHECKS, type Integrity} from './integrity.js';
import {formatTable, outputWidth} from './table-layout.js';
import type {Verification} from './verify.js';

const count = (n: number | undefined): string => (n === undefined ? '-' : n.toLocaleString('en-US'));

/** The human output of `nfx verify`: a table per comparison, then the differences (or that there are none). */
export function renderVerification(v: Verification, width = outputWidth()): string {
  const lines = [`verify ${v.db} against PostgreSQL ${v.target}, schema ${v.schema}`, ''];
  lines.push(
    ...formatTable(
      [
        {name: 'table', numeric: false},
        {name: 'DuckDB rows', numeric: true},
        {name: 'PostgreSQL rows', numeric: true},
        {name: 'rows', numeric: false},
        {name: 'checksum', numeric: false},
      ],
      v.tables.map((t) => [
        t.table,
        count(t.duckdb.rows),
        t.postgres ? count(t.postgres.rows) : 'missing',
        t.postgres ? (t.rowsMatch ? 'ok' : 'DIFFERENT') : '-',
        t.postgres ? (t.checksumMatch ? 'ok' : 'DIFFERENT') : '-',
      ]),
      width,
    ),
  );
  lines.push('');
  lines.push(
    ...formatTable(
      [
        {name: 'check', numeric: false},
        {name: 'DuckDB', numeric: true},
        {name: 'PostgreSQL', numeric: true},
        {name: '', numeric: false},
      ],
      (Object.keys(INTEGRITY_CHECKS) as (keyof Integrity)[]).map((check) => {
        const pg = v.integrity.postgres?.[check];
        return [INTEGRITY_CHECKS[check], count(v.integrity.duckdb[check]), count(pg), pg === undefined ? '-' : pg === v.integrity.duckdb[check] ? 'ok' : 'DIFFERENT'];
      }),
      width,
    ),
  );
  if (v.aggregates) {
    lines.push('');
    lines.push(
      ...formatTable(
        [
          {name: 'aggregate', numeric: false},
          {name: 'rows differing from fact_ratings', numeric: true},
          {name: '', numeric: false},
        ],
        v.aggregates.map((a) => [a.table, count(a.differingRows), a.differingRows === 0 ? 'ok' : `DIFFERENT (first: ${a.firstKey})`]),
        width,
      ),
    );
  }
  lines.push('');
  if (v.ok) lines.push('PostgreSQL holds exactly what DuckDB holds: every row count, checksum and check agrees, and every aggregate equals its recomputation.');
  else lines.push(`${v.differences.length} difference${v.differences.length === 1 ? '' : 's'}:`, ...v.differences.map((d) => `  ${d}`));
  return lines.join('\n');
}
