import {UserError} from '../../errors.js';
import {log} from '../../log.js';
import {parseIsoDate} from '../calendar.js';
import {discoverInputs} from '../discover.js';
import type {TransformOptions, TransformRun} from '../run.js';
import {checkReplaceable} from '../target.js';

const MEMORY_SIZE = /^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB|%)$/i;

/** Stage discover: checks the flags, finds the input files, and checks that --db may be replaced. */
export async function discover(run: TransformRun): Promise<void> {
  validateOptions(run.options);
  const inputs = await discoverInputs(run.dataDir);
  await checkReplaceable(run.db);
  log().debug(
    `inputs: ${inputs.ratingFiles.length} rating files (${inputs.ratingFiles.reduce((sum, f) => sum + f.bytes, 0)} bytes), titles: ${inputs.titles?.relPath ?? 'none'}, ` +
      `probe: ${inputs.probe?.relPath ?? 'none'}, qualifying: ${inputs.qualifying?.relPath ?? 'none'}`,
  );
  if (!inputs.titles) log().warn(`no movie_titles.csv or movie_titles.txt in ${run.dataDir}: every movie will have a NULL title`);
  run.inputs = inputs;
}

export function validateOptions(options: TransformOptions): void {
  for (const [flag, value] of [
    ['--date-from', options.dateFrom],
    ['--date-to', options.dateTo],
  ] as const) {
    if (value !== undefined && Number.isNaN(parseIsoDate(value))) throw new UserError(`${flag} ${value} is not a date; write it as YYYY-MM-DD`);
  }
  if (options.dateFrom && options.dateTo && options.dateFrom > options.dateTo) {
    throw new UserError(`--date-from ${options.dateFrom} is after --date-to ${options.dateTo}`);
  }
  const rate = options.maxRejectRate ?? 0.01;
  if (!(rate >= 0 && rate <= 1)) throw new UserError(`--max-reject-rate ${rate} must be between 0 and 1`);
  if (options.threads !== undefined && !(options.threads >= 1)) throw new UserError(`--threads ${options.threads} must be at least 1`);
  if (options.memoryLimit !== undefined && !MEMORY_SIZE.test(options.memoryLimit)) {
    throw new UserError(`--memory-limit ${options.memoryLimit} is not a size; write it like 512MB, 2GB or 50%`);
  }
}
