import {checkLineAccounting} from '../account.js';
import type {TransformRun} from '../run.js';

/** Stage accounting: every non-blank line of every file is a header, an accepted line or a reject (SPEC 1.3). */
export async function accounting(run: TransformRun): Promise<void> {
  const since = performance.now();
  run.accounts = await checkLineAccounting(run.connection);
  run.lap('accounting', since);
}
