/**
 * From the rounds' raw figures to what the benchmark reports: per stage the median, min and max of the
 * rounds, rows/s, MB/s and peak memory; the nfx/baseline ratios; the targets of issues 3, 4, 6 and 21.
 */
import {existsSync, readFileSync, readdirSync} from 'node:fs';
import {join} from 'node:path';
import {median} from './measure.js';
import {USE_CASE_REPORTS} from './stages.js';

const MILLION = 1e6;

/**
 * Every stage the report lists. `seconds` picks a round's figure; `rows` and `bytes` are what it moved
 * (for rows/s and MB/s); `rss` and `pg` pick the peak memory of its process and of the PostgreSQL server.
 */
function stageDefinitions(dataset, csv, jobs) {
  const ratings = dataset.ratings;
  const factRows = csv?.rows ?? ratings;
  const csvBytes = csv?.bytes ?? null;
  return [
    {id: 'transform', label: 'nfx transform (process wall)', others: (r) => r.transform?.othersCores, seconds: (r) => r.transform?.wall, rows: ratings, bytes: dataset.bytes, rss: (r) => r.transform?.peakRssMiB, cpu: (r) => r.transform?.cpu},
    {id: 'transform.summary', label: '  its own clock (--json seconds)', seconds: (r) => r.transform?.seconds, rows: ratings, bytes: dataset.bytes},
    {id: 'transform.parse', label: '  parse+append (--json stages.parse)', seconds: (r) => r.transform?.parse, rows: ratings, bytes: dataset.ratingBytes},
    {id: 'transformRef', label: 'nfx transform of --compare REF (process wall)', others: (r) => r.transformRef?.othersCores, seconds: (r) => r.transformRef?.wall, rows: ratings, bytes: dataset.bytes, rss: (r) => r.transformRef?.peakRssMiB, cpu: (r) => r.transformRef?.cpu},
    {id: 'transformNoPairs', label: 'nfx transform without probe/qualifying (wall)', others: (r) => r.transformNoPairs?.othersCores, seconds: (r) => r.transformNoPairs?.wall, rows: ratings, bytes: dataset.ratingBytes, rss: (r) => r.transformNoPairs?.peakRssMiB, cpu: (r) => r.transformNoPairs?.cpu},
    {id: 'transformNoAgg', label: 'nfx transform without the aggregate tables (wall)', others: (r) => r.transformNoAgg?.othersCores, seconds: (r) => r.transformNoAgg?.wall, rows: ratings, bytes: dataset.bytes, rss: (r) => r.transformNoAgg?.peakRssMiB, cpu: (r) => r.transformNoAgg?.cpu},
    {id: 'baselineA', label: 'baseline A: DuckDB SQL (process wall)', others: (r) => r.baselineA?.othersCores, seconds: (r) => r.baselineA?.wall, rows: ratings, bytes: dataset.bytes, rss: (r) => r.baselineA?.peakRssMiB, cpu: (r) => r.baselineA?.cpu},
    {id: 'baselineA.parse', label: '  parse: read_csv lines + ASOF join', seconds: (r) => r.baselineA?.parse, rows: ratings, bytes: dataset.ratingBytes},
    {id: 'export', label: 'nfx export --target pg (process wall)', others: (r) => r.export?.othersCores, pgCpu: (r) => r.export?.pgCpuSeconds, seconds: (r) => r.export?.wall, rows: factRows, bytes: csvBytes, rss: (r) => r.export?.peakRssMiB, cpu: (r) => r.export?.cpu, pg: (r) => r.export?.pgPeakRssMiB, pgPss: (r) => r.export?.pgPeakPssMiB},
    {id: 'export.copy', label: '  COPY phase (--json)', seconds: (r) => r.export?.copy, rows: factRows, bytes: csvBytes},
    {id: 'exportRef', label: 'nfx export of --compare REF (process wall)', others: (r) => r.exportRef?.othersCores, pgCpu: (r) => r.exportRef?.pgCpuSeconds, seconds: (r) => r.exportRef?.wall, rows: factRows, bytes: csvBytes, rss: (r) => r.exportRef?.peakRssMiB, cpu: (r) => r.exportRef?.cpu, pg: (r) => r.exportRef?.pgPeakRssMiB, pgPss: (r) => r.exportRef?.pgPeakPssMiB},
    {id: 'exportNoAgg', label: 'nfx export without the aggregate tables (wall)', others: (r) => r.exportNoAgg?.othersCores, pgCpu: (r) => r.exportNoAgg?.pgCpuSeconds, seconds: (r) => r.exportNoAgg?.wall, rows: factRows, bytes: csvBytes, rss: (r) => r.exportNoAgg?.peakRssMiB, cpu: (r) => r.exportNoAgg?.cpu, pg: (r) => r.exportNoAgg?.pgPeakRssMiB, pgPss: (r) => r.exportNoAgg?.pgPeakPssMiB},
    {id: 'baselineB', label: 'baseline B: psql \\copy + SQL (all steps)', others: (r) => r.baselineB?.othersCores, pgCpu: (r) => r.baselineB?.pgCpuSeconds, cpu: (r) => r.baselineB?.cpu, seconds: (r) => r.baselineB?.wall, rows: factRows, bytes: csvBytes, pg: (r) => r.baselineB?.pgPeakRssMiB, pgPss: (r) => r.baselineB?.pgPeakPssMiB},
    {id: 'baselineB.copy', label: `  COPY fact CSV, ${jobs} psql streams`, seconds: (r) => r.baselineB?.copy, rows: factRows, bytes: csvBytes},
    {id: 'baselineB.dims', label: '  COPY dimensions (1 stream)', seconds: (r) => r.baselineB?.dims},
    {id: 'baselineB.constraints', label: '  constraints, indexes, ANALYZE', seconds: (r) => r.baselineB?.constraints, rows: factRows},
    ...USE_CASE_REPORTS.map((report) => ({
      id: `report.${report.name}`,
      label: `nfx query --report ${report.name} (process wall)`,
      others: (r) => r.reports?.othersCores,
      seconds: (r) => r.reports?.[report.id]?.wall,
      rss: (r) => r.reports?.[report.id]?.peakRssMiB,
      cpu: (r) => r.reports?.[report.id]?.cpu,
    })),
  ];
}

const round3 = (x) => (x === null || x === undefined || !Number.isFinite(x) ? null : Number(x.toFixed(3)));
const present = (values) => values.filter((v) => typeof v === 'number' && Number.isFinite(v));

/** The median of a figure over the rounds that have it; null when none has. */
function medianOf(rounds, pick) {
  const values = pick ? present(rounds.map(pick)) : [];
  return values.length ? round3(median(values)) : null;
}

/** Per stage: the rounds' figures and their median, min and max, throughput and peak memory. */
export function summarizeStages(rounds, dataset, csv, jobs) {
  /** @type {Record<string, any>} */
  const stages = {};
  for (const def of stageDefinitions(dataset, csv, jobs)) {
    const samples = present(rounds.map(def.seconds));
    if (samples.length === 0) continue;
    const mid = median(samples);
    const maxOf = (pick) => (pick ? round3(Math.max(...present(rounds.map(pick)))) : null);
    stages[def.id] = {
      label: def.label,
      samples,
      median: round3(mid),
      min: round3(Math.min(...samples)),
      max: round3(Math.max(...samples)),
      rowsPerSecond: def.rows ? Math.round(def.rows / mid) : null,
      mbPerSecond: def.bytes ? round3(def.bytes / 1e6 / mid) : null,
      peakRssMiB: maxOf(def.rss),
      pgPeakRssMiB: maxOf(def.pg),
      pgPeakPssMiB: maxOf(def.pgPss),
      cpuSecondsMedian: medianOf(rounds, def.cpu),
      pgCpuSecondsMedian: medianOf(rounds, def.pgCpu),
      othersCoresMedian: medianOf(rounds, def.others),
    };
  }
  return stages;
}

const RATIOS = [
  {id: 'parse', nfx: 'transform.parse', baseline: 'baselineA.parse', pick: (r) => [r.transform?.parse, r.baselineA?.parse]},
  {id: 'transform', nfx: 'transform', baseline: 'baselineA', pick: (r) => [r.transform?.wall, r.baselineA?.wall]},
  {id: 'copy', nfx: 'export.copy', baseline: 'baselineB.copy', pick: (r) => [r.export?.copy, r.baselineB?.copy]},
  {id: 'export', nfx: 'export', baseline: 'baselineB', pick: (r) => [r.export?.wall, r.baselineB?.wall]},
  {id: 'transform-vs-ref', nfx: 'transform', baseline: 'transformRef', pick: (r) => [r.transform?.wall, r.transformRef?.wall]},
  {id: 'export-vs-ref', nfx: 'export', baseline: 'exportRef', pick: (r) => [r.export?.wall, r.exportRef?.wall]},
  {id: 'probe-overhead', nfx: 'transform', baseline: 'transformNoPairs', pick: (r) => [r.transform?.wall, r.transformNoPairs?.wall]},
  {id: 'probe-cpu', nfx: 'transform', baseline: 'transformNoPairs', field: 'cpuSecondsMedian', pick: (r) => [r.transform?.cpu, r.transformNoPairs?.cpu]},
  {id: 'aggregate-overhead', nfx: 'transform', baseline: 'transformNoAgg', pick: (r) => [r.transform?.wall, r.transformNoAgg?.wall]},
  {id: 'aggregate-cpu', nfx: 'transform', baseline: 'transformNoAgg', field: 'cpuSecondsMedian', pick: (r) => [r.transform?.cpu, r.transformNoAgg?.cpu]},
  {id: 'aggregate-export', nfx: 'export', baseline: 'exportNoAgg', pick: (r) => [r.export?.wall, r.exportNoAgg?.wall]},
  {id: 'aggregate-export-pg-cpu', nfx: 'export', baseline: 'exportNoAgg', field: 'pgCpuSecondsMedian', pick: (r) => [r.export?.pgCpuSeconds, r.exportNoAgg?.pgCpuSeconds]},
];

/**
 * nfx time / baseline time: the ratio of the medians, and the median of the per-round ratios (each pair
 * ran back to back, so it is less exposed to the machine's load drifting over the run).
 */
export function ratios(stages, rounds) {
  /** @type {Record<string, any>} */
  const out = {};
  for (const def of RATIOS) {
    const a = stages[def.nfx];
    const b = stages[def.baseline];
    if (!a || !b) continue;
    const paired = rounds.map(def.pick).filter(([x, y]) => typeof x === 'number' && typeof y === 'number' && y > 0).map(([x, y]) => x / y);
    const field = def.field ?? 'median';
    out[def.id] = {
      nfx: def.nfx,
      baseline: def.baseline,
      ...(def.field ? {of: def.field} : {}),
      ratioOfMedians: round3(a[field] / b[field]),
      medianOfPairedRatios: paired.length ? round3(median(paired)) : null,
    };
  }
  return out;
}

/** The latest results file of another size, for the linear-growth target. */
function latestResult(resultsDir, ratings) {
  if (!existsSync(resultsDir)) return null;
  const name = readdirSync(resultsDir)
    .filter((f) => f.endsWith(`-${ratings}.json`))
    .sort()
    .at(-1);
  return name ? {file: name, result: JSON.parse(readFileSync(join(resultsDir, name), 'utf8'))} : null;
}

/**
 * The targets of issues 3, 4, 6 and 21, each with its measured figure. `met` is null when this run did not
 * measure it (another size, or a stage skipped).
 */
export function evaluateTargets({ratings, stages, ratioTable, resultsDir}) {
  const s = (id, field = 'median') => stages[id]?.[field] ?? null;
  const ratio = (id) => ratioTable[id]?.ratioOfMedians ?? null;
  const targets = [];
  const add = (id, description, measured, unit, test, applies = true) =>
    targets.push({id, description, measured: round3(measured), unit, met: applies && measured !== null ? test(measured) : null});
  const at = (n) => ratings === n;

  const parseRatio = ratio('parse');
  add('parse-vs-A', 'transform parse stage >= 1.5x faster than baseline A parse', parseRatio ? 1 / parseRatio : null, 'x faster', (x) => x >= 1.5);
  add('transform-vs-A', 'whole transform <= 0.8x baseline A', ratio('transform'), 'x', (x) => x <= 0.8);
  const parseRate = stages['transform.parse']?.rowsPerSecond ?? null;
  add('parse-rate-10M', 'parse+append >= 5M ratings/s at 10M', parseRate === null ? null : parseRate / MILLION, 'M ratings/s', (x) => x >= 5, at(10_000_000));
  add('transform-10M', 'whole transform of 10M <= 4 s', s('transform'), 's', (x) => x <= 4, at(10_000_000));

  // linear growth: this run's transform against the latest results file of the other size
  let growth = null;
  let growthNote = null;
  if (at(10_000_000) || at(1_000_000)) {
    const other = latestResult(resultsDir, at(10_000_000) ? 1_000_000 : 10_000_000);
    const otherWall = other?.result?.stages?.transform?.median;
    if (otherWall && s('transform')) {
      growth = at(10_000_000) ? s('transform') / otherWall : otherWall / s('transform');
      growthNote = `with ${other.file}`;
    }
  }
  add('growth-10M-1M', 'time(10M) / time(1M) <= 11 (transform wall)', growth, growthNote ? `x (${growthNote})` : 'x', (x) => x <= 11);

  add('transform-100M', '100M transform <= 45 s', s('transform'), 's', (x) => x <= 45, at(100_000_000) || ratings > 100_000_000);
  // GB and MB of the targets are decimal (1.5 GB = 1.5e9 bytes = 1430.5 MiB), the stricter reading
  add('transform-rss', 'transform peak RSS <= 1.5 GB = 1430 MiB (target set at 100M)', s('transform', 'peakRssMiB'), 'MiB', (x) => x * 2 ** 20 <= 1.5e9);
  add('copy-vs-B', 'export COPY phase <= 1.1x baseline B COPY', ratio('copy'), 'x', (x) => x <= 1.1);
  add('export-vs-B', 'whole export <= 1.0x baseline B incl. constraints', ratio('export'), 'x', (x) => x <= 1.0);
  add('export-rss', 'export peak RSS <= 400 MB = 381 MiB', s('export', 'peakRssMiB'), 'MiB', (x) => x * 2 ** 20 <= 4e8);
  add('export-100M', 'whole export of 100M <= 150 s', s('export'), 's', (x) => x <= 150, at(100_000_000) || ratings > 100_000_000);
  const endToEnd = s('transform') !== null && s('export') !== null ? s('transform') + s('export') : null;
  // --compare REF: what this build's changes cost against REF (issue 16: the aggregate tables, against the commit before them)
  add('transform-vs-ref', 'whole transform <= 1.05x the --compare build\'s', ratio('transform-vs-ref'), 'x', (x) => x <= 1.05);
  add('export-vs-ref', 'whole export <= 1.05x the --compare build\'s', ratio('export-vs-ref'), 'x', (x) => x <= 1.05);
  // --probe-compare (issue 18): the transform with probe.txt and qualifying.txt against without them, same run
  add('probe-overhead', 'transform with probe/qualifying <= 1.05x without (wall)', ratio('probe-overhead'), 'x', (x) => x <= 1.05);
  add('probe-cpu', 'transform with probe/qualifying <= 1.05x without (CPU)', ratio('probe-cpu'), 'x', (x) => x <= 1.05);
  // --aggregate-compare (issue 16): the transform with the aggregate tables against without them, same run
  add('aggregate-overhead', 'transform with the aggregate tables <= 1.05x without (wall)', ratio('aggregate-overhead'), 'x', (x) => x <= 1.05);
  add('aggregate-cpu', 'transform with the aggregate tables <= 1.05x without (CPU)', ratio('aggregate-cpu'), 'x', (x) => x <= 1.05);
  add('aggregate-export', 'export with the aggregate tables <= 1.05x without (wall)', ratio('aggregate-export'), 'x', (x) => x <= 1.05);
  add('end-to-end-100M', '100M end to end (transform + export) <= 3 min', endToEnd, 's', (x) => x <= 180, at(100_000_000) || ratings > 100_000_000);
  for (const report of USE_CASE_REPORTS) {
    add(`report-${report.name}-100M`, `100M nfx query --report ${report.name} <= 5 s`, s(`report.${report.name}`), 's', (x) => x <= 5, at(100_000_000) || ratings > 100_000_000);
  }
  return targets;
}

const fmt = (x, digits = 2) => (x === null || x === undefined ? '-' : x.toFixed(digits));

/** The table printed at the end of a run. */
export function renderReport(result) {
  const lines = [];
  const head = ['stage', 'median s', 'min s', 'max s', 'CPU s', 'PG CPU s', 'M rows/s', 'MB/s', 'peak RSS MiB', 'PG RSS / PSS MiB', 'other work, cores'];
  const rows = Object.values(result.stages).map((st) => [
    st.label,
    fmt(st.median, 3),
    fmt(st.min, 3),
    fmt(st.max, 3),
    fmt(st.cpuSecondsMedian, 2),
    fmt(st.pgCpuSecondsMedian, 2),
    st.rowsPerSecond ? fmt(st.rowsPerSecond / MILLION) : '-',
    fmt(st.mbPerSecond, 1),
    fmt(st.peakRssMiB, 0),
    st.pgPeakRssMiB !== null ? `${fmt(st.pgPeakRssMiB, 0)} / ${fmt(st.pgPeakPssMiB, 0)}` : '-',
    fmt(st.othersCoresMedian, 2),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  lines.push(line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line), '');

  lines.push('ratios nfx / baseline (< 1: nfx faster)      of medians   median of per-round pairs');
  for (const [id, r] of Object.entries(result.ratios)) {
    lines.push(`  ${`${id}: ${r.nfx} / ${r.baseline}`.padEnd(44)} ${fmt(r.ratioOfMedians, 3).padStart(9)}   ${fmt(r.medianOfPairedRatios, 3).padStart(9)}`);
  }
  lines.push('');
  lines.push('targets');
  for (const t of result.targets) {
    const mark = t.met === null ? '  n/a ' : t.met ? '  MET ' : ' MISSED';
    lines.push(`${mark.padEnd(8)} ${t.description.padEnd(56)} ${t.measured === null ? '-' : `${t.measured} ${t.unit}`}`);
  }
  return lines.join('\n');
}
