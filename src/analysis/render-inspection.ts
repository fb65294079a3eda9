import {formatBytes, formatSeconds} from '../progress.js';
import type {WarehouseInspection} from './inspect.js';
import {formatTable, outputWidth} from './table-layout.js';

const count = (n: number): string => n.toLocaleString('en-US');
const indent = (lines: string[]): string[] => lines.map((line) => `  ${line}`);

/** The human output of `nfx inspect`: the file, its tables, dates, last run and data quality. */
export function renderInspection(inspection: WarehouseInspection, width = outputWidth()): string {
  const {file, tables, dates, lastRun, quality} = inspection;
  const inner = width - 2;
  const lines: string[] = [];
  lines.push(
    `warehouse ${inspection.db}: ${formatBytes(file.bytes)} on disk, ${count(file.usedBlocks)} of ${count(file.totalBlocks)} blocks of ${formatBytes(file.blockSize)} used, WAL ${file.walSize}`,
  );

  lines.push('', 'tables:');
  lines.push(
    ...indent(
      formatTable(
        [
          {name: 'table', numeric: false},
          {name: 'rows', numeric: true},
          {name: 'size', numeric: true},
        ],
        tables.map((t) => [t.name, count(t.rows), t.bytes === null ? 'view' : `≈ ${formatBytes(t.bytes)}`]),
        inner,
      ),
    ),
  );

  lines.push(
    '',
    dates.firstRating
      ? `ratings: ${dates.firstRating} .. ${dates.lastRating} on ${count(dates.ratingDays)} days (dim_date ${dates.calendarFrom} .. ${dates.calendarTo})`
      : 'ratings: none',
  );

  lines.push('');
  if (lastRun) {
    lines.push(
      `last run: ${lastRun.finishedAt} (${lastRun.status}, ${formatSeconds(lastRun.seconds)}, nfx ${lastRun.nfxVersion})${inspection.runs > 1 ? `, ${inspection.runs} runs recorded` : ''}`,
      `  from ${lastRun.dataDir}: ${count(lastRun.linesRead)} lines, ${count(lastRun.ratingsLoaded)} ratings loaded, ${count(lastRun.rejected)} rejected (${count(lastRun.duplicates)} duplicates), ${count(lastRun.movies)} movies, ${count(lastRun.customers)} customers`,
    );
    lines.push(
      ...indent(
        formatTable(
          [
            {name: 'input', numeric: false},
            {name: 'bytes', numeric: true},
            {name: 'lines', numeric: true},
            {name: 'blank', numeric: true},
            {name: 'headers', numeric: true},
            {name: 'accepted', numeric: true},
            {name: 'rejected', numeric: true},
            {name: 'balanced', numeric: false},
            {name: 'sha256', numeric: false},
          ],
          lastRun.inputs.map((i) => [
            i.path,
            count(i.bytes),
            count(i.lines),
            count(i.blankLines),
            count(i.headers),
            count(i.accepted),
            count(i.rejected),
            i.balanced ? 'ok' : 'MISMATCH',
            `${i.sha256.slice(0, 12)}…`,
          ]),
          inner,
        ),
      ),
    );
  } else {
    lines.push('last run: none recorded in etl_run');
  }

  lines.push('', 'data quality:');
  if (quality.byReason.length === 0) lines.push('  rejects: none');
  else {
    lines.push(`  rejects by reason (${count(quality.rejects)} in all), with the first examples:`);
    lines.push(
      ...indent(
        formatTable(
          [
            {name: 'reason', numeric: false},
            {name: 'rejects', numeric: true},
            {name: 'example', numeric: false},
          ],
          quality.byReason.flatMap((r) =>
            r.examples.map((e, i) => [i === 0 ? r.reason : '', i === 0 ? count(r.rejects) : '', `${e.sourceFile}:${e.lineNumber}  ${JSON.stringify(e.rawLine)}`]),
          ),
          inner,
        ),
      ),
    );
  }
  lines.push(`  duplicates dropped: ${count(quality.duplicatesDropped)}`);
  lines.push(`  movies without title: ${count(quality.moviesWithoutTitle)}`);
  lines.push(`  probe ratings (is_probe): ${count(quality.probeRatings)}; qualifying pairs: ${count(quality.qualifyingPairs)}`);
  const {integrity} = inspection;
  const orphans = integrity.orphanCustomerKeys + integrity.orphanMovieKeys + integrity.orphanDateKeys + integrity.orphanQualifyingKeys;
  lines.push(`  ratings outside 1..5: ${count(integrity.ratingsOutOfRange)}; fact rows with a key missing from its dimension: ${count(orphans)}`);
  return lines.join('\n');
}
