import {rejectDuplicates, stageSuspectRatings} from '../duplicates.js';
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
    const rejectAppender = await connection.createAppender('stg_reject');
    run.duplicates = await rejectDuplicates(connection, run.inputs.ratingFiles, rejectAppender);
    rejectAppender.closeSync();
    if (run.duplicates > 0) run.loader.rejectsByReason.set('duplicate', run.duplicates);
  }
  run.lap('duplicates', since);
}
