#!/usr/bin/env node
// @ts-check
/**
 * Writes the figures of RELIABILITY.md from the reliability suite's last run:
 *
 *   npx vitest run test/reliability && node test/reliability/markdown.mjs
 *
 * reads test/reliability/results/last-run.jsonl (one line per recordFigure() call, see record.ts), keeps the
 * newest line of each id, and replaces what sits between the `figures:start` and `figures:end` markers of
 * RELIABILITY.md with a summary and one table row per id. Exits 1 without writing when there are no results.
 */
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const resultsFile = join(root, 'test', 'reliability', 'results', 'last-run.jsonl');
const docFile = join(root, 'RELIABILITY.md');
const START = '<!-- figures:start -->';
const END = '<!-- figures:end -->';
const AREAS = ['Kill anywhere', 'Connection faults', 'Bad inputs', 'Concurrency', 'Security'];

if (!existsSync(resultsFile)) {
  console.error(`no results in ${resultsFile}: run npx vitest run test/reliability first`);
  process.exit(1);
}

/** @type {Map<string, any>} newest figure per id */
const newest = new Map();
for (const line of readFileSync(resultsFile, 'utf8').split('\n')) {
  if (!line.trim()) continue;
  const figure = JSON.parse(line);
  const seen = newest.get(figure.id);
  if (!seen || seen.at < figure.at) newest.set(figure.id, figure);
}
const figures = [...newest.values()].sort(
  (a, b) => areaRank(a.area) - areaRank(b.area) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
);

/** @param {string} area */
function areaRank(area) {
  const i = AREAS.indexOf(area);
  return i < 0 ? AREAS.length : i;
}

/** @param {string} text */
const cell = (text) => String(text ?? '').replaceAll('|', '\\|').replaceAll('\n', ' ');
/** @param {any[]} list */
const sum = (list, /** @type {string} */ key) => list.reduce((total, f) => total + f[key], 0);

const inArea = (/** @type {string} */ area) => figures.filter((f) => f.area === area);
const kills = inArea('Kill anywhere');
const faults = inArea('Connection faults');
const fuzz = inArea('Bad inputs');
const servers = [...new Set(figures.map((f) => f.server))].join(', ');
const scales = [...new Set(figures.map((f) => f.scale))].join(', ');
const times = figures.map((f) => f.at).sort();

const lines = [
  START,
  `Last run: ${times[0]?.slice(0, 16).replace('T', ' ')} to ${times.at(-1)?.slice(0, 16).replace('T', ' ')} UTC, ${servers}, NFX_RELIABILITY_SCALE ${scales}.`,
  '',
  `- **Kills survived: ${sum(kills, 'survived')} of ${sum(kills, 'tried')}**`,
  `- **Connection faults survived: ${sum(faults, 'survived')} of ${sum(faults, 'tried')}**`,
  `- **Fuzz cases run: ${sum(fuzz, 'tried')}, ${sum(fuzz, 'survived')} kept the contract**`,
  `- **Rows lost: ${sum(figures, 'rowsLost')}**`,
  '',
  '| Area | What was tried | Trials | Survived | Rows lost | Detail | Reproduce |',
  '|---|---|---:|---:|---:|---|---|',
  ...figures.map(
    (f) => `| ${cell(f.area)} | ${cell(f.what)} | ${f.tried} | ${f.survived} | ${f.rowsLost} | ${cell(f.detail ?? '')} | \`${cell(f.command)}\` |`,
  ),
  END,
];

const doc = readFileSync(docFile, 'utf8');
const start = doc.indexOf(START);
const end = doc.indexOf(END);
if (start < 0 || end < start) {
  console.error(`${docFile} has no ${START} ... ${END} section`);
  process.exit(1);
}
writeFileSync(docFile, doc.slice(0, start) + lines.join('\n') + doc.slice(end + END.length));
console.log(`RELIABILITY.md: ${figures.length} rows from ${resultsFile}`);
