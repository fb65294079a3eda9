import {UserError} from '../../errors.js';
import {log} from '../../log.js';
import {discoverInputs} from '../discover.js';
import type {TransformRun} from '../run.js';
import {planAppend, readStoredWarehouse} from '../stored.js';
import {checkReplaceable} from '../target.js';
import {validateOptions} from './discover.js';

/**
 * Stage discover (append): the flags, the input files, and which of them the warehouse --db holds already
 * (skipped) or holds with other bytes (refused, exit 2, before anything is written).
 */
export async function discoverAppend(run: TransformRun): Promise<void> {
  validateOptions(run.options);
  if (run.options.dateFrom || run.options.dateTo) {
    throw new UserError('--date-from and --date-to set the calendar of a new warehouse; an append widens dim_date to whole years by itself, so drop them');
  }
  const found = await discoverInputs(run.dataDir, true);
  run.stored = await readStoredWarehouse(run.db);
  await checkReplaceable(run.db);
  const {inputs, skipped} = await planAppend(found, run.stored, run.dataDir);
  for (const file of skipped) log().info(`${file.path} skipped: already loaded${file.loadedAs === file.path ? '' : ` as ${file.loadedAs}`} (same sha256)`);
  for (const file of [inputs.probe, inputs.qualifying]) if (file?.reread) log().info(`${file.relPath}: loaded before; read again to decide its rejected lines against the new files`);
  log().debug(`inputs: ${inputs.ratingFiles.length} new rating files (${inputs.ratingFiles.reduce((sum, f) => sum + f.bytes, 0)} bytes), titles: ${inputs.titles?.relPath ?? 'none new'}, probe: ${inputs.probe?.relPath ?? 'none'}, qualifying: ${inputs.qualifying?.relPath ?? 'none'}, ${skipped.length} skipped`);
  run.inputs = inputs;
  run.skippedFiles = skipped;
}
