/**
 * When to kill a run, and killing it: the "kill anywhere" trials of kill.test.ts.
 *
 *   const anchors = [{name: 'whole run', line: /started \(pid/}, {name: 'final stretch', line: /99_drop_staging/}];
 *   const plan = killPlan(20, anchors, new Random(seed, 1));       // seed: reliabilitySeed()
 *   const reference = await measureRun(args, options, logFile, anchors);
 *   const run = await runKilledAfter(args, options, logFile, plan[0].anchor.line, plan[0].fraction * reference.spans[...]);
 *
 * A kill is timed from a line of the run's --log-file (its anchor), not from the start of the process: Node
 * and the CLI load before the first line, touching nothing, and on a busy machine that start-up alone varies by
 * seconds. The first anchor is the run's first line, so its kills fall anywhere in the run; the second is the
 * start of its final stretch (the checkpoint and rename, the swap), the moments worth most kills. A kill's
 * delay is a fraction of the anchor's span (from its line to the exit) in the latest run that finished, so the
 * schedule follows the machine's load; fractions are spread evenly (one uniform draw in each n-th of [0, 1))
 * and tried in a seeded random order. Every assertion message names the seed, so a failing trial can be run
 * again: NFX_RELIABILITY_SEED=<seed>.
 */
import {readFileSync, statSync} from 'node:fs';
import {Random} from '../../src/generate/random.js';
import {runNfx, type CliOptions, type CliResult} from '../helpers/cli.js';

/** NFX_RELIABILITY_SEED when set, else a new seed (print it with every failure). */
export function reliabilitySeed(): number {
  const raw = process.env.NFX_RELIABILITY_SEED;
  if (!raw) return Math.floor(Math.random() * 2 ** 31);
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`NFX_RELIABILITY_SEED must be a whole number, not ${raw}`);
  return seed;
}

/** A log line that kills are timed from. */
export interface Anchor {
  name: string;
  line: RegExp;
}

export interface KillPoint {
  anchor: Anchor;
  /** Of the anchor's span: 0 kills right at its line, 1 at the exit of a run like the latest. */
  fraction: number;
}

/** `n` kill points shared out among the anchors, each anchor's fractions spread evenly over [0, 1), in random order. */
export function killPlan(n: number, anchors: Anchor[], random: Random): KillPoint[] {
  const plan = anchors.flatMap((anchor, a) => {
    const count = Math.floor(n / anchors.length) + (a < n % anchors.length ? 1 : 0);
    return Array.from({length: count}, (_, i) => ({anchor, fraction: (i + random.nextFloat()) / count}));
  });
  for (let i = plan.length - 1; i > 0; i--) {
    const j = random.below(i + 1);
    [plan[i], plan[j]] = [plan[j], plan[i]];
  }
  return plan;
}

/** Milliseconds from each anchor's first line in `logFile` to `exitedAt`; an anchor missing from the log throws. */
export function anchorSpans(logFile: string, anchors: Anchor[], exitedAt: number): Map<Anchor, number> {
  const lines = readFileSync(logFile, 'utf8').split('\n');
  return new Map(
    anchors.map((anchor) => {
      const line = lines.find((l) => anchor.line.test(l));
      if (!line) throw new Error(`${logFile} has no line matching ${anchor.line} (anchor "${anchor.name}")`);
      return [anchor, exitedAt - Date.parse(line.slice(0, line.indexOf(' ')))];
    }),
  );
}

export interface FinishedRun {
  result: CliResult;
  /** Date.now() when the process had exited. */
  exitedAt: number;
}

/** Runs nfx and notes when it exited. */
export async function runToEnd(args: string[], options: CliOptions): Promise<FinishedRun> {
  const result = await runNfx(args, options);
  return {result, exitedAt: Date.now()};
}

export interface KilledRun extends FinishedRun {
  /** false when the run exited on its own before the kill. */
  killed: boolean;
  delayMs: number;
}

/**
 * Runs nfx (with `--log-file logFile` among its args) and sends it SIGKILL `delayMs` after the first line of
 * `logFile` that matches `anchor`, unless it has exited by then.
 */
export async function runKilledAfter(args: string[], options: CliOptions, logFile: string, anchor: RegExp, delayMs: number): Promise<KilledRun> {
  const run = await runToEnd(args, {
    ...options,
    onSpawn: (child) => {
      let timer: NodeJS.Timeout | undefined;
      let seen = 0;
      const watch = setInterval(() => {
        const size = statSync(logFile, {throwIfNoEntry: false})?.size ?? 0;
        if (size === seen) return;
        seen = size;
        if (!anchor.test(readFileSync(logFile, 'utf8'))) return;
        clearInterval(watch);
        timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
      }, 2);
      child.on('exit', () => {
        clearInterval(watch);
        clearTimeout(timer);
      });
    },
  });
  return {...run, killed: run.result.signal === 'SIGKILL', delayMs};
}

/** How many kills landed in each stage, in the order the stages run: "parse 7, star SQL 5". */
export class StageTally {
  private readonly counts = new Map<string, number>();

  constructor(stages: readonly string[]) {
    for (const stage of stages) this.counts.set(stage, 0);
  }

  add(stage: string): void {
    this.counts.set(stage, (this.counts.get(stage) ?? 0) + 1);
  }

  toString(): string {
    return [...this.counts].filter(([, n]) => n > 0).map(([stage, n]) => `${stage} ${n}`).join(', ');
  }
}
