import {Command, Flags, Errors, type Interfaces} from '@oclif/core';
import {config as loadDotenv} from 'dotenv';
import {EXIT_BUG, EXIT_USAGE, isUserError} from './errors.js';
import {flagErrorLine, type FlagDefinition} from './flag-errors.js';
import {appendLogFile, createLogger, log, redact, setConsoleState, setLogger} from './log.js';

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof NfxCommand)['baseFlags'] & T['flags']>;

/**
 * The shell every nfx command shares: --json, --quiet, --log-file, .env loading, and the mapping of
 * errors to exit codes (one line for a user error, a located message for a bug; never a raw stack trace).
 */
export abstract class NfxCommand extends Command {
  static override enableJsonFlag = true;

  static override baseFlags = {
    quiet: Flags.boolean({char: 'q', description: 'Print only errors (and the --json result).', helpGroup: 'GLOBAL'}),
    'log-file': Flags.string({description: 'Append every log line, with a timestamp, to this file.', helpGroup: 'GLOBAL'}),
  };

  override async init(): Promise<void> {
    // .env in the working directory; variables already set in the environment win
    loadDotenv({quiet: true});
    await super.init();
    const argv = this.argv;
    const json = argv.includes('--json');
    const quiet = argv.includes('--quiet') || argv.includes('-q');
    const logFileIndex = argv.findIndex((a) => a === '--log-file' || a.startsWith('--log-file='));
    const logFile =
      logFileIndex < 0 ? undefined : argv[logFileIndex].includes('=') ? argv[logFileIndex].split('=').slice(1).join('=') : argv[logFileIndex + 1];
    setConsoleState({quiet, json});
    setLogger(createLogger({quiet, json, logFile}));
    // the --log-file records when each run began, and its pid (which names a killed transform's leftovers)
    log().debug(`nfx ${this.id ?? ''} started (pid ${process.pid})`);
  }

  /** Prints a human summary on stdout (not with --quiet or --json) and records it in the --log-file. */
  protected report(text: string): void {
    if (!this.jsonEnabled() && !this.argv.includes('--quiet') && !this.argv.includes('-q')) this.log(text);
    for (const line of text.split('\n')) appendLogFile('summary', line);
  }

  protected override async catch(err: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    if (err instanceof Errors.ExitError) throw err;
    let exitCode: number;
    let message: string;
    if (isUserError(err)) {
      exitCode = err.exitCode;
      message = err.message;
    } else if (err.oclif?.exit !== undefined || err.name === 'CLIError' || /^(Nonexistent|Unexpected|Missing|Expected|Parsing)/.test(err.message)) {
      // oclif flag and argument parsing errors are usage errors
      exitCode = EXIT_USAGE;
      const flags = {...this.ctor.baseFlags, ...this.ctor.flags} as Record<string, FlagDefinition>;
      message = `${flagErrorLine(err.message, flags)} (see --help)`;
    } else {
      exitCode = EXIT_BUG;
      const where = (err.stack ?? '').split('\n').find((l) => l.includes('/src/') || l.includes('/dist/'))?.trim() ?? 'unknown location';
      message = `internal error (a bug in nfx, please report it): ${err.message} ${where}`;
      if (process.env.NFX_DEBUG) message += `\n${err.stack}`;
    }
    message = redact(message);
    if (this.jsonEnabled()) {
      const details = isUserError(err) ? err.details : undefined;
      process.stdout.write(`${JSON.stringify({error: {message, exitCode, ...(details ? {details} : {})}}, (_key, value: unknown) => (typeof value === 'bigint' ? Number(value) : value))}\n`);
    }
    // one plain line, whatever the terminal: scripts and people both read it
    process.stderr.write(`nfx: error: ${message}\n`);
    appendLogFile('error', message);
    this.exit(exitCode);
  }
}
