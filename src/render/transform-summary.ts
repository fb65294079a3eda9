import {formatBytes, formatCount, formatSeconds} from '../progress.js';
import type {TransformSummary} from '../transforms/pipeline.js';

/** The human summary printed at the end of a transform. */
export function renderTransformSummary(summary: TransformSummary): string {
  const lines: string[] = [];
  const facts = summary.tables.fact_ratings;
  lines.push(`${summary.mode === 'append' ? 'appended' : 'transformed'} ${summary.dataDir} -> ${summary.db} in ${formatSeconds(summary.seconds)} (${formatCount(summary.ratingsPerSecond)} ratings/s)`);
  lines.push('tables:');
  for (const [table, rows] of Object.entries(summary.tables)) lines.push(`  ${table.padEnd(14)} ${rows.toLocaleString('en-US').padStart(14)}`);
  const rejects = Object.entries(summary.rejectsByReason).filter(([, n]) => n > 0);
  lines.push(rejects.length === 0 ? 'rejects: none' : 'rejects by reason:');
  for (const [reason, n] of rejects) lines.push(`  ${reason.padEnd(18)} ${n.toLocaleString('en-US').padStart(10)}`);
  if (summary.moviesWithoutTitle > 0) lines.push(`movies without title: ${summary.moviesWithoutTitle}`);
  lines.push(`dates: ${summary.dateRange.from ?? '-'} .. ${summary.dateRange.to ?? '-'}`);
  const bytes = summary.files.reduce((sum, f) => sum + f.bytes, 0);
  lines.push(`inputs: ${summary.files.length} files, ${formatBytes(bytes)}${summary.titlesEncoding ? `, titles read as ${summary.titlesEncoding}` : ''}`);
  for (const file of summary.skippedFiles) lines.push(`skipped ${file.path}: already loaded${file.loadedAs === file.path ? '' : ` as ${file.loadedAs}`}`);
  if (summary.mode === 'append') lines.push(`titles changed: ${summary.titlesChanged}, stored ratings replaced by later ones: ${summary.storedRatingsReplaced}`);
  if (summary.ignoredFiles.length > 0) lines.push(`ignored (probe/qualifying not loaded yet): ${summary.ignoredFiles.join(', ')}`);
  lines.push(`stages: ${Object.entries(summary.stages).map(([stage, s]) => `${stage} ${s.toFixed(2)}s`).join(', ')}`);
  lines.push(`line accounting: ok (every non-blank line is a header, one of ${facts.toLocaleString('en-US')} facts, or a reject)`);
  return lines.join('\n');
}
