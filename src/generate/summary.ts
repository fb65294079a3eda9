import {formatBytes, formatCount, formatSeconds} from '../progress.js';
import type {GenerateResult} from './generate.js';

/** The one line printed after `nfx generate`. */
export function renderGenerateSummary(result: GenerateResult): string {
  const ratingFiles = result.files.filter((f) => /^(combined_data_|training_set\/)/.test(f.path)).length;
  const others = result.files.filter((f) => !/^(combined_data_|training_set\/)/.test(f.path)).map((f) => f.path);
  const kind = `${result.layout}${result.gzip ? ' gzip' : ''}${result.dirty ? ' dirty' : ''}`;
  return (
    `generated ${formatCount(result.ratings)} ratings (${formatCount(result.movies)} movies, ${formatCount(result.customers)} customers, ` +
    `seed ${result.seed}, ${kind}) in ${ratingFiles} rating file${ratingFiles === 1 ? '' : 's'} + ${others.join(', ')}: ` +
    `${formatBytes(result.bytes)} in ${formatSeconds(result.seconds)} (${formatCount(result.rowsPerSecond)} rows/s) -> ${result.out}`
  );
}
