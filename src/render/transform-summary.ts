import {formatBytes, formatCount, formatSeconds, plural} from '../progress.js';
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
  lines.push(`inputs: ${summary.files.length} ${plural(summary.files.length, 'file')}, ${formatBytes(bytes)}${summary.titlesEncoding ? `, titles read as ${summary.titlesEncoding}` : ''}`);
  const probe = summary.files.find((f) => f.kind === 'probe');
  if (probe) lines.push(`probe: ${probe.path}, ${summary.probeRatings.toLocaleString('en-US')} ratings flagged is_probe, ${probe.rejected.toLocaleString('en-US')} lines rejected`);
  const qualifying = summary.files.find((f) => f.kind === 'qualifying');
  if (qualifying) {
    lines.push(`qualifying: ${qualifying.path}, ${summary.tables.fact_qualifying.toLocaleString('en-US')} pairs in fact_qualifying, ${qualifying.rejected.toLocaleString('en-US')} lines rejected`);
  }
  for (const file of summary.skippedFiles) lines.push(`skipped ${file.path}: already loaded${file.loadedAs === file.path ? '' : ` as ${file.loadedAs}`}`);
  for (const file of summary.decidedAgain) {
    lines.push(`decided again: ${file.path} (loaded before), now ${file.accepted.toLocaleString('en-US')} accepted and ${file.rejected.toLocaleString('en-US')} rejected lines`);
  }
  if (summary.mode === 'append') lines.push(`titles changed: ${summary.titlesChanged}, stored ratings replaced by later ones: ${summary.storedRatingsReplaced}`);
  const reread = summary.storedReread;
  if (reread.blocks + reread.wholeFiles > 0) {
    lines.push(`read again for stored ratings' lines: ${reread.blocks.toLocaleString('en-US')} movie blocks (${(reread.blockBytes / 1e6).toFixed(1)} MB)${reread.hashedFiles > 0 ? `, ${reread.hashedFiles} files hashed (modified since loaded)` : ''}${reread.wholeFiles > 0 ? `, ${reread.wholeFiles} whole files` : ''}`);
  }
  lines.push(`stages: ${Object.entries(summary.stages).map(([stage, s]) => `${stage} ${s.toFixed(2)}s`).join(', ')}`);
  lines.push(`line accounting: ok (every non-blank line is a header, one of ${facts.toLocaleString('en-US')} ${plural(facts, 'fact')}, or a reject)`);
  return lines.join('\n');
}
