/** What nfx knows of a flag when it explains a parse error: oclif's flag definition, the parts it reads. */
export interface FlagDefinition {
  description?: string;
  min?: number;
  max?: number;
  options?: readonly string[];
}

/**
 * oclif's flag and argument errors put the reason on the lines after the first ("The following error
 * occurred:\n  Missing required flag data", "Parsing --jobs \n\tExpected an integer ..."); nfx prints one
 * line that names the flag, the value given and what is allowed.
 */
export function flagErrorLine(message: string, flags: Record<string, FlagDefinition>): string {
  const text = message
    .replaceAll(/\u001B\[[0-9;]*m/g, '')
    .replace(/\n\s*See more help with --help\s*$/, '')
    .trim();
  const parsing = /^Parsing --([\w-]+)\s*\n\s*([^\n]*)/.exec(text);
  if (parsing) return badValueLine(parsing[1], parsing[2], flags[parsing[1]]);
  const validation = /^The following errors? occurred:\s*\n([\s\S]*)$/.exec(text);
  if (validation) {
    const reasons = validation[1].split('\n').map((line) => line.trim()).filter(Boolean);
    return reasons.map((reason) => validationLine(reason, flags)).join('; ');
  }
  const option = /^Expected --([\w-]+)=(.*) to be one of: (.*)$/.exec(text);
  if (option) return `--${option[1]} must be one of ${option[3]} (got "${option[2]}")`;
  return text.split('\n')[0];
}

/** `--jobs must be a whole number from 1 to 16 (got 20)`; any other parse failure keeps its reason. */
function badValueLine(name: string, reason: string, flag: FlagDefinition | undefined): string {
  const integer = /^Expected an integer.* but received: (.*)$/.exec(reason);
  if (!integer) return `--${name}: ${reason}`;
  return `--${name} must be ${wholeNumberRange(flag?.min, flag?.max)} (got "${integer[1]}")`;
}

function wholeNumberRange(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `a whole number from ${min} to ${max}`;
  if (min !== undefined) return `a whole number of at least ${min}`;
  if (max !== undefined) return `a whole number of at most ${max}`;
  return 'a whole number';
}

/** `missing required flag --data: Folder with the Netflix Prize files`. */
function validationLine(reason: string, flags: Record<string, FlagDefinition>): string {
  const missing = /^Missing required flag ([\w-]+)$/.exec(reason);
  if (!missing) return reason;
  const description = flags[missing[1]]?.description?.replace(/\.$/, '');
  return `missing required flag --${missing[1]}${description ? `: ${description}` : ''}`;
}
