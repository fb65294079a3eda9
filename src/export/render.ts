import {formatBytes, formatCount, formatSeconds, plural} from '../progress.js';
import type {FileExportSummary} from './files.js';
import type {PgExportSummary} from './postgres.js';

const count = (n: number): string => n.toLocaleString('en-US');

/** The human summary printed at the end of an export to PostgreSQL. */
export function renderPgExportSummary(summary: PgExportSummary): string {
  const lines: string[] = [];
  const rows = summary.tables.reduce((sum, t) => sum + t.rows, 0);
  lines.push(`exported ${summary.db} -> schema "${summary.schema}" on ${summary.target} in ${formatSeconds(summary.seconds)} (${formatCount(rows / Math.max(summary.seconds, 1e-6))} rows/s overall)`);
  lines.push('tables:');
  for (const t of summary.tables) {
    const how = [t.streams > 1 ? `${t.streams} streams` : '', t.freeze ? 'FREEZE' : ''].filter(Boolean).join(', ');
    lines.push(
      `  ${t.table.padEnd(14)} ${count(t.rows).padStart(14)} ${plural(t.rows, 'row').padEnd(4)} ${formatSeconds(t.seconds).padStart(6)} ${`${formatCount(t.rowsPerSecond)} rows/s`.padStart(14)} ${formatBytes(t.bytes).padStart(9)}${how ? `  (${how})` : ''}`,
    );
  }
  const p = summary.phases;
  lines.push(
    `phases: prepare ${formatSeconds(p.prepare)}, load ${formatSeconds(p.load)}, keys+indexes+vacuum+foreign keys ${formatSeconds(p.constraints)} (indexes over ${summary.indexLanes} ${plural(summary.indexLanes, 'connection')}${summary.parallelIndexWorkers ? '' : ' without parallel workers'}, foreign keys by ${summary.foreignKeyCheck === 'index-merge' ? 'index merge' : 'hash join'}), reconcile ${formatSeconds(p.reconcile)} (beside the foreign keys), analyze ${formatSeconds(p.analyze)}, publish ${formatSeconds(p.publish)}`,
  );
  lines.push(`reconciled: row counts and checksums of all ${Object.keys(summary.reconciled).length} tables equal DuckDB's`);
  lines.push(
    summary.replacedPrevious
      ? `published atomically: replaced the previous load${summary.grantsCarriedOver > 0 ? `, ${summary.grantsCarriedOver} ${plural(summary.grantsCarriedOver, 'grant')} carried over` : ''}`
      : 'published atomically: new schema',
  );
  if (summary.removedLeftovers.length > 0) lines.push(`removed leftovers of an unfinished export: ${summary.removedLeftovers.join(', ')}`);
  return lines.join('\n');
}

/** The human summary printed at the end of an export to Parquet or CSV files. */
export function renderFileExportSummary(summary: FileExportSummary): string {
  const lines: string[] = [];
  lines.push(`exported ${summary.db} -> ${summary.out} (${summary.format}) in ${formatSeconds(summary.seconds)}${summary.replacedPrevious ? ', replacing the previous export' : ''}`);
  for (const t of summary.tables) {
    lines.push(`  ${t.table.padEnd(14)} ${count(t.rows).padStart(14)} ${plural(t.rows, 'row').padEnd(4)} ${formatBytes(t.bytes).padStart(9)}  ${t.path}`);
  }
  lines.push('row counts read back from the files equal the warehouse\'s');
  return lines.join('\n');
}
