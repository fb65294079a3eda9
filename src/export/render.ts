import {formatBytes, formatCount, formatSeconds, plural} from '../progress.js';
import type {FileExportSummary} from './files.js';
import type {PgExportSummary, PgIncrementalSummary} from './postgres.js';

const count = (n: number): string => n.toLocaleString('en-US');

/** The human summary printed at the end of an export to PostgreSQL. */
export function renderPgExportSummary(summary: PgExportSummary | PgIncrementalSummary): string {
  return summary.mode === 'incremental' ? renderIncremental(summary) : renderFull(summary);
}

function renderIncremental(summary: PgIncrementalSummary): string {
  const lines: string[] = [];
  lines.push(
    summary.upToDate
      ? `exported ${summary.db} -> schema "${summary.schema}" on ${summary.target}: incremental, up to date (it holds run ${summary.fromRun}, the warehouse's last), reconciled in ${formatSeconds(summary.seconds)}`
      : `exported ${summary.db} -> schema "${summary.schema}" on ${summary.target}: incremental, ${summary.runsApplied.length} ${plural(summary.runsApplied.length, 'run')} applied (${summary.runsApplied.join(', ')}) onto run ${summary.fromRun} in ${formatSeconds(summary.seconds)}`,
  );
  lines.push('tables:                  copied     inserted      updated      deleted');
  for (const t of summary.changes) {
    lines.push(`  ${t.table.padEnd(18)} ${[t.copied, t.inserted, t.updated, t.deleted].map((n) => count(n).padStart(12)).join(' ')}`);
  }
  const p = summary.phases;
  lines.push(`phases: decide ${formatSeconds(p.decide)}, copy changes ${formatSeconds(p.copy)}, apply ${formatSeconds(p.apply)}, reconcile ${formatSeconds(p.reconcile)}, commit ${formatSeconds(p.commit)}`);
  lines.push(`reconciled: row counts of all ${Object.keys(summary.rowCounts).length} tables and checksums of the changed rows equal DuckDB's`);
  lines.push(
    summary.newFactKeys === 'set'
      ? "new fact rows' foreign keys: checked as one set, the dimensions locked against changes until the commit (a superuser's export)"
      : "new fact rows' foreign keys: checked row by row by their triggers (the role is not a superuser, or fact_ratings has triggers of its own)",
  );
  lines.push('published atomically: one transaction on the schema, constraints in place');
  if (summary.removedLeftovers.length > 0) lines.push(`removed leftovers of an unfinished export: ${summary.removedLeftovers.join(', ')}`);
  return lines.join('\n');
}

function renderFull(summary: PgExportSummary): string {
  const lines: string[] = [];
  const rows = summary.tables.reduce((sum, t) => sum + t.rows, 0);
  lines.push(`exported ${summary.db} -> schema "${summary.schema}" on ${summary.target} in ${formatSeconds(summary.seconds)} (${formatCount(rows / Math.max(summary.seconds, 1e-6))} rows/s overall)`);
  lines.push(`full export: ${summary.fullReason}`);
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
