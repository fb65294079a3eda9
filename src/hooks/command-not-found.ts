import type {Hook} from '@oclif/core';
import {EXIT_USAGE} from '../errors.js';

/** A mistyped command (`nfx tranform`): one line naming the closest command, exit 2. */
const hook: Hook.CommandNotFound = async function (options) {
  const closest = closestCommand(options.id, options.config.commandIDs);
  const hint = closest ? `; did you mean "${options.config.bin} ${closest}"?` : '';
  process.stderr.write(`nfx: error: unknown command "${options.id}"${hint} (${options.config.bin} --help lists the commands)\n`);
  this.exit(EXIT_USAGE);
};

export default hook;

/** The command within a few typing mistakes of `typed` (edit distance at most a third of its length, at least 2). */
export function closestCommand(typed: string, commands: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(typed.length / 3)) + 1;
  for (const command of commands) {
    const distance = editDistance(typed.toLowerCase(), command);
    if (distance < bestDistance) [best, bestDistance] = [command, distance];
  }
  return best;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
