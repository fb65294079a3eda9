import type {DuckDBConnection} from '@duckdb/node-api';
import {formatBytes, formatSeconds} from '../progress.js';
import {nfxVersion} from '../sql.js';
import {
  coldStartChart,
  probeColdStartChart,
  ratingDistributionChart,
  ratingsPerMonthChart,
  rejectsChart,
  releaseYearChart,
  topMoviesChart,
  type Chart,
  type ColdStartBucket,
  type MonthlyVolume,
  type MovieVolume,
  type ReleaseYearVolume,
  type StarCount,
} from './charts.js';
import {inspectWarehouse, type WarehouseInspection} from './inspect.js';
import {INTEGRITY_CHECKS, type Integrity} from './integrity.js';
import {bindReportParams} from './report-params.js';
import {loadReport} from './reports.js';
import {readRows} from './values.js';

/** How many movies the "most rated" chart shows. */
const TOP_MOVIES = 15;

export interface HtmlReport {
  html: string;
  charts: {id: string; title: string; drawn: boolean}[];
  inspection: WarehouseInspection;
}

/** Runs a ready report (sql/duckdb/reports) so the charts show exactly what `nfx query --report` prints. */
async function report<T>(connection: DuckDBConnection, name: string, params: Record<string, string> = {}): Promise<T[]> {
  const definition = loadReport(name);
  const bound = bindReportParams(definition, params);
  return readRows<T>(connection, definition.sql, bound.values, bound.types);
}

/** The whole report as one HTML string: charts as inline SVG, the inspect summary as tables, no outside resource. */
export async function buildHtmlReport(connection: DuckDBConnection, db: string, generatedAt = new Date()): Promise<HtmlReport> {
  const inspection = await inspectWarehouse(connection, db);
  const coldStart = await report<ColdStartBucket>(connection, 'cold-start');
  const charts: Chart[] = [
    ratingsPerMonthChart(await report<MonthlyVolume>(connection, 'monthly-volume')),
    ratingDistributionChart(await report<StarCount>(connection, 'rating-distribution')),
    releaseYearChart(await report<ReleaseYearVolume>(connection, 'by-release-year')),
    topMoviesChart(await report<MovieVolume>(connection, 'top-movies', {limit: String(TOP_MOVIES)})),
    coldStartChart(coldStart),
    probeColdStartChart(coldStart),
    rejectsChart(inspection.quality.byReason),
  ];
  const html = page(inspection, charts, generatedAt);
  return {html, charts: charts.map((c) => ({id: c.id, title: c.title, drawn: c.svg !== ''})), inspection};
}

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const count = (n: number): string => n.toLocaleString('en-US');

function table(headers: string[], rows: (string | number)[][], numeric: boolean[] = []): string {
  const cell = (tag: string, value: string | number, i: number) => `<${tag}${numeric[i] ? ' class="num"' : ''}>${typeof value === 'number' ? count(value) : escape(value)}</${tag}>`;
  return `<table><thead><tr>${headers.map((h, i) => cell('th', h, i)).join('')}</tr></thead><tbody>${rows
    .map((row) => `<tr>${row.map((v, i) => cell('td', v, i)).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function figure(chart: Chart): string {
  const body = chart.svg === '' ? `<p class="empty">${escape(chart.empty ?? 'Nothing to draw.')}</p>` : chart.svg;
  return `<figure id="${chart.id}"><h3>${escape(chart.title)}</h3><figcaption>${escape(chart.caption)}</figcaption>${body}</figure>`;
}

function page(inspection: WarehouseInspection, charts: Chart[], generatedAt: Date): string {
  const {tables, dates, lastRun, quality, integrity} = inspection;
  const rows = (name: string) => tables.find((t) => t.name === name)?.rows ?? 0;
  const kpis: [string, string][] = [
    ['ratings', count(rows('fact_ratings'))],
    ['movies', count(rows('dim_movie'))],
    ['customers', count(rows('dim_customer'))],
    ['first rating', dates.firstRating ?? '-'],
    ['last rating', dates.lastRating ?? '-'],
    ['rejected lines', count(quality.rejects)],
    ['probe ratings', count(quality.probeRatings)],
    ['qualifying pairs', count(quality.qualifyingPairs)],
  ];
  const run = lastRun
    ? `<p>Built by nfx ${escape(lastRun.nfxVersion)} on ${escape(lastRun.finishedAt)} in ${escape(formatSeconds(lastRun.seconds))} (${escape(lastRun.status)}) from <code>${escape(lastRun.dataDir)}</code>: ${count(lastRun.linesRead)} lines read, ${count(lastRun.ratingsLoaded)} ratings loaded, ${count(lastRun.rejected)} lines rejected, of which ${count(lastRun.duplicates)} duplicates.</p>
${table(
  ['input', 'bytes', 'lines', 'blank', 'headers', 'accepted', 'rejected', 'balanced', 'sha256'],
  lastRun.inputs.map((i) => [i.path, i.bytes, i.lines, i.blankLines, i.headers, i.accepted, i.rejected, i.balanced ? 'yes' : 'NO', i.sha256]),
  [false, true, true, true, true, true, true, false, false],
)}`
    : '<p>No run is recorded in etl_run.</p>';
  const rejects =
    quality.byReason.length === 0
      ? '<p>No line was rejected.</p>'
      : table(
          ['reason', 'rejects', 'first examples (file:line  raw line)'],
          quality.byReason.map((r) => [r.reason, r.rejects, r.examples.map((e) => `${e.sourceFile}:${e.lineNumber}  ${e.rawLine}`).join('\n')]),
          [false, true, false],
        );
  const checks = (Object.keys(INTEGRITY_CHECKS) as (keyof Integrity)[]).map((k) => [INTEGRITY_CHECKS[k], integrity[k]]);

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>nfx report: ${escape(inspection.db)}</title>
<style>
:root { color-scheme: light; --accent: #b20710; --muted: #5f6368; --line: #e3e3e3; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1d1d1f; background: #fafafa; }
header { background: #141414; color: #fff; padding: 24px 32px; }
header h1 { margin: 0 0 4px; font-size: 22px; } header h1 span { color: var(--accent); }
header p { margin: 0; color: #bbb; }
main { max-width: 1680px; margin: 0 auto; padding: 24px 32px 48px; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-bottom: 24px; }
.kpi { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; }
.kpi b { display: block; font-size: 22px; font-variant-numeric: tabular-nums; } .kpi span { color: var(--muted); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(600px, 1fr)); gap: 16px; }
figure { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px; overflow-x: auto; }
figure h3 { margin: 0; font-size: 16px; } figcaption { color: var(--muted); margin-bottom: 8px; }
figure svg { max-width: 100%; height: auto; }
.empty { color: var(--muted); font-style: italic; }
section { margin-top: 32px; } section h2 { font-size: 18px; border-bottom: 2px solid var(--accent); padding-bottom: 4px; }
table { border-collapse: collapse; background: #fff; margin: 8px 0 16px; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: top; white-space: pre-wrap; }
th { background: #f1f1f1; } .num { text-align: right; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
footer { color: var(--muted); font-size: 12px; margin-top: 32px; }
</style>
</head>
<body>
<header><h1><span>nfx</span> warehouse report</h1><p>${escape(inspection.db)} · ${escape(formatBytes(inspection.file.bytes))}</p></header>
<main>
<div class="kpis">${kpis.map(([label, value]) => `<div class="kpi"><b>${escape(value)}</b><span>${escape(label)}</span></div>`).join('')}</div>
<div class="charts">
${charts.map(figure).join('\n')}
</div>
<section id="tables"><h2>Tables</h2>
${table(
  ['table', 'kind', 'rows', 'size on disk (approx.)'],
  tables.map((t) => [t.name, t.kind, t.rows, t.bytes === null ? '' : formatBytes(t.bytes)]),
  [false, false, true, true],
)}
<p>Ratings from ${escape(dates.firstRating ?? '-')} to ${escape(dates.lastRating ?? '-')} on ${count(dates.ratingDays)} days; dim_date covers ${escape(dates.calendarFrom ?? '-')} to ${escape(dates.calendarTo ?? '-')}.</p>
</section>
<section id="last-run"><h2>Last run</h2>
${run}
</section>
<section id="quality"><h2>Data quality</h2>
${rejects}
${table(
  ['check', 'count'],
  [['duplicates dropped', quality.duplicatesDropped], ['movies without title', quality.moviesWithoutTitle], ...checks] as (string | number)[][],
  [false, true],
)}
</section>
<footer>Generated by nfx ${escape(nfxVersion())} on ${escape(generatedAt.toISOString())}. Every number here comes from the DuckDB file above; the charts use the same SQL as <code>nfx query --report</code>.</footer>
</main>
</body>
</html>
`;
}
