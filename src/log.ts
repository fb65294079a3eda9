import {appendFileSync} from 'node:fs';
import {createConsola, type ConsolaInstance, type LogObject} from 'consola';

/** Hides the password of any postgres URL or key=value connection string in a line of text. */
export function redact(text: string): string {
  return text
    .replace(/(postgres(?:ql)?:\/\/[^:/?#@\s]*:)([^@\s]*)@/gi, '$1***@')
    .replace(/(password\s*=\s*)('[^']*'|[^\s&]+)/gi, '$1***');
}

export interface LogOptions {
  quiet?: boolean;
  json?: boolean;
  logFile?: string;
}

function plain(log: LogObject): string {
  const text = log.args.map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
  return redact(text);
}

/**
 * The one logger of nfx. Human messages go to stderr, so stdout stays clean for --json and query results.
 * --quiet and --json silence info lines; errors always show. --log-file gets every line with a timestamp.
 */
let logFile: string | undefined;

/** Appends one line to the --log-file, when one was given. */
export function appendLogFile(type: string, message: string): void {
  if (logFile) appendFileSync(logFile, `${new Date().toISOString()} ${type.padEnd(7)} ${redact(message)}\n`);
}

const SYMBOLS: Record<string, string> = {fatal: '✖', error: '✖', warn: '⚠', info: 'ℹ', success: '✔', debug: '⚙', trace: '→'};

/**
 * Console lines go to stderr up to the console level (errors only with --quiet, warnings too with --json,
 * info by default); the --log-file gets every line down to debug, whatever the console shows.
 */
export function createLogger(options: LogOptions = {}): ConsolaInstance {
  const consoleLevel = options.quiet ? 0 : options.json ? 1 : 3;
  const tty = Boolean(process.stderr.isTTY);
  logFile = options.logFile;
  return createConsola({
    level: options.logFile ? 4 : consoleLevel,
    reporters: [
      {
        log(entry) {
          if (entry.level <= consoleLevel) {
            const text = plain(entry);
            process.stderr.write(tty ? `${SYMBOLS[entry.type] ?? ' '} ${text}\n` : `[${entry.type}] ${text}\n`);
          }
          appendLogFile(entry.type, plain(entry));
        },
      },
    ],
  });
}

let current: ConsolaInstance = createLogger();

export function setLogger(logger: ConsolaInstance): void {
  current = logger;
}

export function log(): ConsolaInstance {
  return current;
}

export interface ConsoleState {
  quiet: boolean;
  json: boolean;
}

let consoleState: ConsoleState = {quiet: false, json: false};

export function setConsoleState(state: ConsoleState): void {
  consoleState = state;
}

/** Whether progress may be drawn to the terminal. */
export function progressEnabled(): boolean {
  return !consoleState.quiet && !consoleState.json;
}
