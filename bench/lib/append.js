/**
 * The append stage (issue 19): what `nfx transform --append` of a 1M-rating part costs against the full
 * transform of every file it leaves the warehouse equal to, in the same run.
 *
 *   full    nfx transform of the data set plus the part (combined_data_1..4 + combined_data_5..8)
 *   append  nfx transform --append of the part (combined_data_5..8) onto a copy of the data set's warehouse
 *
 * With PostgreSQL, the appended warehouse is then exported twice: in full into a fresh schema, and
 * incrementally onto the schema an untimed export of the data set's warehouse left (issue 19's second target).
 *
 * The part is `nfx generate` of 1 % of the data set's ratings (1M at the issue's 100M; at least 1,000) with
 * another seed, cached like the data set, its four rating files
 * renamed combined_data_5..8 so they sort after the loaded ones: its ratings fall on the same movies,
 * customers and years, so about 1 % of its pairs are already in the warehouse (the density of the 100M set),
 * and the duplicate rule has stored ratings to beat and lose to. Its titles, probe and qualifying files are
 * left out (the warehouse holds the data set's). The copy of the warehouse is made before the clock starts.
 */
import {copyFileSync, linkSync, mkdirSync, readdirSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {ensureDataset} from './dataset.js';
import {measure, median} from './measure.js';
import {nfxExport} from './stages.js';

/** The part's size: 1 % of the data set, as the 1M onto 100M. */
export const appendRatings = (ratings) => Math.max(1000, Math.round(ratings / 100));
/** The target: an append costs at most this fraction of the full transform of all its files. */
export const APPEND_TARGET_RATIO = 0.15;

const round3 = (x) => Number(x.toFixed(3));

/**
 * Builds the two folders (hard links, no copies): the part alone, and the data set with the part.
 * @param {{nfxBin: string, dataset: import('./dataset.js').Dataset, workDir: string, seed: number, log: (line: string) => void}} options
 */
export async function prepareAppend({nfxBin, dataset, workDir, seed, log}) {
  const part = await ensureDataset({nfxBin, ratings: appendRatings(dataset.ratings), seed: seed + 1, log});
  const partDir = join(workDir, 'append-part');
  const wholeDir = join(workDir, 'append-whole');
  for (const dir of [partDir, wholeDir]) {
    rmSync(dir, {recursive: true, force: true});
    mkdirSync(dir, {recursive: true});
  }
  for (const name of readdirSync(dataset.dir).filter((n) => n !== 'expected.json')) linkSync(join(dataset.dir, name), join(wholeDir, name));
  part.ratingFiles.forEach((file, i) => {
    const name = `combined_data_${i + 5}.txt`;
    linkSync(file, join(partDir, name));
    linkSync(file, join(wholeDir, name));
  });
  return {partDir, wholeDir, partRatings: part.ratings};
}

/** One transform process (full or --append) with its --json summary. */
async function transform(nfxBin, args) {
  const run = await measure(process.execPath, [nfxBin, 'transform', ...args, '--json', '--quiet']);
  const summary = JSON.parse(run.stdout);
  return {
    wall: round3(run.seconds),
    cpu: run.cpuSeconds === null ? null : round3(run.cpuSeconds),
    seconds: summary.seconds,
    peakRssMiB: round3(run.peakRssMiB),
    stages: summary.stages,
    factRatings: summary.tables.fact_ratings,
    storedRatingsReplaced: summary.storedRatingsReplaced ?? null,
  };
}

/** The full transform of the data set and the part together. */
export function fullOfAll(ctx, db) {
  rmSync(db, {force: true});
  return transform(ctx.nfxBin, ['--data', ctx.append.wholeDir, '--db', db]);
}

/** The append of the part onto a copy of the data set's warehouse (ctx.warehouse), copied untimed. */
export function appendPart(ctx, db) {
  copyFileSync(ctx.warehouse, db);
  return transform(ctx.nfxBin, ['--append', '--data', ctx.append.partDir, '--db', db]);
}

/** The appended warehouse of this round (appendPart's), which the two exports read. */
export const appendedWarehouse = (ctx) => join(ctx.workDir, 'append.duckdb');

/** The full export of the appended warehouse into a fresh schema. */
export const exportAppendedFull = (ctx) => nfxExport(ctx, {db: appendedWarehouse(ctx)});

/** Untimed: the data set's warehouse exported into a fresh schema, the state an incremental export starts from. */
export const exportBase = (ctx) => nfxExport(ctx);

/** The incremental export of the appended warehouse onto exportBase's schema; it must say mode incremental. */
export async function exportAppendedIncremental(ctx) {
  const result = await nfxExport(ctx, {db: appendedWarehouse(ctx), fresh: false});
  if (result.mode !== 'incremental') throw new Error(`the export after the append was not incremental: ${result.fullReason ?? result.mode}`);
  return result;
}

/**
 * Medians over the rounds and the ratios append / full; null without a complete pair. Both runs must leave
 * the same number of fact rows (the append's equivalence is tested row by row in test/transform/append.test.ts).
 */
export function summarizeAppend(rounds, partRatings) {
  const pairs = rounds.filter((r) => r.appendFull && r.append);
  if (pairs.length === 0) return null;
  const stat = (name, key) => {
    const values = pairs.map((r) => r[name][key]).filter((v) => v !== null && v !== undefined);
    return values.length ? round3(median(values)) : null;
  };
  const side = (name) => ({wall: stat(name, 'wall'), cpu: stat(name, 'cpu'), peakRssMiB: stat(name, 'peakRssMiB'), othersCores: stat(name, 'othersCores')});
  const full = side('appendFull');
  const append = side('append');
  const ratio = (key) => (full[key] && append[key] !== null ? round3(append[key] / full[key]) : null);
  const facts = new Set(pairs.flatMap((r) => [r.appendFull.factRatings, r.append.factRatings]));
  const exportPairs = rounds.filter((r) => r.exportAppendedFull && r.exportIncremental);
  const exportStat = (name, key) => {
    const values = exportPairs.map((r) => r[name][key]).filter((v) => v !== null && v !== undefined);
    return values.length ? round3(median(values)) : null;
  };
  const exportSide = (name) => ({wall: exportStat(name, 'wall'), cpu: exportStat(name, 'cpu'), pgCpu: exportStat(name, 'pgCpuSeconds'), othersCores: exportStat(name, 'othersCores')});
  const exports = exportPairs.length === 0 ? null : {full: exportSide('exportAppendedFull'), incremental: exportSide('exportIncremental')};
  if (exports) {
    exports.ratioWall = exports.full.wall ? round3(exports.incremental.wall / exports.full.wall) : null;
    exports.ratioPgCpu = exports.full.pgCpu ? round3(exports.incremental.pgCpu / exports.full.pgCpu) : null;
    exports.met = exports.ratioWall !== null ? exports.ratioWall <= APPEND_TARGET_RATIO : null;
  }
  return {
    partRatings,
    rounds: pairs.length,
    full,
    append,
    storedRatingsReplaced: pairs[0].append.storedRatingsReplaced,
    ratioWall: ratio('wall'),
    ratioCpu: ratio('cpu'),
    target: APPEND_TARGET_RATIO,
    met: ratio('wall') !== null ? ratio('wall') <= APPEND_TARGET_RATIO : null,
    sameFactRows: facts.size === 1,
    appendStages: pairs[0].append.stages,
    exports,
  };
}

/** The stage's lines for the report. */
export function renderAppend(summary) {
  const row = (label, s) => `| ${label} | ${s.wall?.toFixed(2) ?? '-'} | ${s.cpu?.toFixed(1) ?? '-'} | ${s.peakRssMiB ? Math.round(s.peakRssMiB) : '-'} | ${s.othersCores ?? '-'} |`;
  return [
    `Append (issue 19): ${summary.partRatings.toLocaleString('en-US')} ratings (1 %) onto the warehouse, medians of ${summary.rounds} round(s)`,
    '',
    '| run | wall s | CPU s | peak RSS MiB | other work, cores |',
    '|---|---|---|---|---|',
    row('full transform of all the files', summary.full),
    row('transform --append of the part', summary.append),
    '',
    `append / full: ${summary.ratioWall ?? '-'}x wall, ${summary.ratioCpu ?? '-'}x CPU (target <= ${summary.target}x: ${summary.met ? 'MET' : 'MISSED'}); ` +
      `stored ratings beaten: ${summary.storedRatingsReplaced ?? '-'}; same fact rows: ${summary.sameFactRows ? 'yes' : 'NO'}`,
    `append stages (s): ${Object.entries(summary.appendStages ?? {}).map(([k, v]) => `${k} ${Number(v).toFixed(2)}`).join(', ')}`,
    ...(summary.exports
      ? [
          '',
          '| export of the appended warehouse | wall s | nfx CPU s | PostgreSQL CPU s | other work, cores |',
          '|---|---|---|---|---|',
          `| full, into a fresh schema | ${summary.exports.full.wall ?? '-'} | ${summary.exports.full.cpu ?? '-'} | ${summary.exports.full.pgCpu ?? '-'} | ${summary.exports.full.othersCores ?? '-'} |`,
          `| incremental, onto the data set's export | ${summary.exports.incremental.wall ?? '-'} | ${summary.exports.incremental.cpu ?? '-'} | ${summary.exports.incremental.pgCpu ?? '-'} | ${summary.exports.incremental.othersCores ?? '-'} |`,
          '',
          `incremental / full: ${summary.exports.ratioWall ?? '-'}x wall, ${summary.exports.ratioPgCpu ?? '-'}x PostgreSQL CPU (target <= ${summary.target}x: ${summary.exports.met ? 'MET' : 'MISSED'})`,
        ]
      : []),
  ].join('\n');
}
