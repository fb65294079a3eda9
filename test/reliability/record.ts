/**
 * Figures for RELIABILITY.md, written by the reliability tests as they run.
 *
 *   recordFigure({id: 'kill-transform', area: 'Kill anywhere', what: 'transform SIGKILLed at a random moment',
 *     tried: 20, survived: 20, rowsLost: 0, command: 'npx vitest run test/reliability/kill.test.ts'});
 *
 * Each call appends one JSON line to test/reliability/results/last-run.jsonl (ignored by git). Tests run in
 * several processes at once, and an append of one short line is atomic, so no line is torn.
 * `node test/reliability/markdown.mjs` writes the table of RELIABILITY.md from the newest line of each id.
 * Record only after the test's assertions passed: a figure in the file is a figure that was checked.
 */
import {appendFileSync, mkdirSync} from 'node:fs';
import {join} from 'node:path';
import {REPO_ROOT} from '../helpers/cli.js';
import {testServer} from '../helpers/pg.js';

export interface Figure {
  /** Stable key; the newest record of an id wins. */
  id: string;
  /** Section of RELIABILITY.md: 'Kill anywhere', 'Connection faults', 'Bad inputs', 'Concurrency', 'Security'. */
  area: string;
  /** What was tried, in a few words. */
  what: string;
  /** How many trials (kills, faults, fuzz cases, attempts). */
  tried: number;
  /** How many ended as promised (old result intact, next run clean, accounting balanced ...). */
  survived: number;
  /** Ratings lost over all trials: accepted + rejected lines that went missing. */
  rowsLost: number;
  /** Extra facts worth a column, e.g. {killPoints: 'parse 7, star 5, ...'} */
  detail?: string;
  /** The command that reproduces the row. */
  command: string;
}

export const RESULTS_FILE = join(REPO_ROOT, 'test', 'reliability', 'results', 'last-run.jsonl');

/** The scale knob: NFX_RELIABILITY_SCALE=5 runs five times the trials (and bigger data where a test says so). */
export function reliabilityScale(): number {
  const raw = process.env.NFX_RELIABILITY_SCALE;
  if (!raw) return 1;
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale <= 0) throw new Error(`NFX_RELIABILITY_SCALE must be a positive number, not ${raw}`);
  return scale;
}

/** Trials at the current scale: `trials(20)` is 20 by default, 100 with NFX_RELIABILITY_SCALE=5. */
export function trials(base: number): number {
  return Math.max(1, Math.round(base * reliabilityScale()));
}

export function recordFigure(figure: Figure): void {
  let server = 'unknown';
  try {
    const s = testServer();
    server = `PostgreSQL ${s.version.split(' ')[0]}`;
  } catch {
    // a test without the PostgreSQL harness
  }
  mkdirSync(join(RESULTS_FILE, '..'), {recursive: true});
  const line = {...figure, server, scale: reliabilityScale(), at: new Date().toISOString()};
  appendFileSync(RESULTS_FILE, `${JSON.stringify(line)}\n`);
}
