import {QualityError} from '../../errors.js';
import {loadSql} from '../../sql.js';
import type {TransformRun} from '../run.js';

/**
 * Stage quality gate: the syntax rejects of rating, probe and qualifying lines against all their non-blank
 * lines (SPEC 1.4; the relational rejects, duplicates included, come later and do not count); over
 * --max-reject-rate the run stops with exit 3 and --db is left as it was.
 */
export async function qualityGate(run: TransformRun): Promise<void> {
  const lineRecords = run.records.filter((r) => r.kind !== 'titles' && !r.reread);
  const nonBlank = lineRecords.reduce((sum, r) => sum + r.lines - r.blankLines, 0);
  const ratingRejects = lineRecords.reduce((sum, r) => sum + r.rejected, 0);
  const what = lineRecords.every((r) => r.kind === 'ratings') ? 'rating lines' : 'rating, probe and qualifying lines';
  const maxRate = run.options.maxRejectRate ?? 0.01;
  if (nonBlank === 0 || ratingRejects / nonBlank <= maxRate) return;
  const byReason = Object.fromEntries([...run.loader.rejectsByReason].filter(([reason]) => reason !== 'bad_movie_line' && reason !== 'duplicate_movie'));
  const examples = (await run.connection.runAndReadAll(loadSql('duckdb', '03_reject_examples'))).getRowObjectsJson();
  const exampleText = examples.map((e) => `${e.path}:${e.line_number} ${e.reason} ${JSON.stringify(e.raw_line)}`).join('; ');
  throw new QualityError(
    `${ratingRejects} of ${nonBlank} ${what} rejected (${((ratingRejects / nonBlank) * 100).toFixed(2)}% > --max-reject-rate ${maxRate}): ` +
      `${Object.entries(byReason).map(([reason, n]) => `${reason} ${n}`).join(', ')}; first: ${exampleText}. ` +
      `Nothing was written; fix the input or raise --max-reject-rate`,
    {rejected: ratingRejects, nonBlankLines: nonBlank, byReason, examples},
  );
}
