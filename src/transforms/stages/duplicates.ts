import {stageSuspectRatings} from '../duplicates.js';
import {rejectLinesAgain} from '../reject-lines.js';
import type {TransformRun} from '../run.js';

/**
 * Stage duplicates: the duplicate rule (1.1) over the suspect movies' ratings alone, read again with their
 * line numbers; every dropped occurrence becomes a `duplicate` reject. Clean data has no suspects.
 */
export async function duplicates(run: TransformRun): Promise<void> {
  const since = performance.now();
  const suspects = run.suspects;
  if (suspects.size > 0) {
    const connection = run.connection;
    await connection.run(`INSERT INTO stg_suspect_movie SELECT unnest(${JSON.stringify([...suspects])}::INTEGER[])`);
    await stageSuspectRatings(connection, run.inputs.ratingFiles, run.parsed, suspects, run.threads);
    run.checkInterrupted();
    await run.sql('10_duplicates');
    const rejected = await rejectLinesAgain(connection, run.inputs.ratingFiles, '11_duplicate_lines');
    run.duplicates = rejected.get('duplicate') ?? 0;
    if (run.duplicates > 0) run.loader.rejectsByReason.set('duplicate', run.duplicates);
  }
  run.lap('duplicates', since);
}
