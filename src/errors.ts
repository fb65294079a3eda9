/**
 * Errors are values the user can act on. Exit codes follow the data contract:
 * 0 success, 1 a bug in nfx, 2 usage or input error, 3 data-quality threshold exceeded.
 */
export const EXIT_BUG = 1;
export const EXIT_USAGE = 2;
export const EXIT_QUALITY = 3;

/** An error the user caused and can fix; its message is one line that says what to do. */
export class UserError extends Error {
  readonly exitCode: number = EXIT_USAGE;
  constructor(message: string, readonly details?: Record<string, unknown>) {
    super(message);
    this.name = 'UserError';
  }
}

/** The data failed a quality gate (for example --max-reject-rate): exit code 3. */
export class QualityError extends UserError {
  override readonly exitCode: number = EXIT_QUALITY;
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, details);
    this.name = 'QualityError';
  }
}

/** Ctrl-C (SIGINT, exit 130) or SIGTERM (exit 143) stopped the run after it cleaned up. */
export class InterruptedError extends UserError {
  override readonly exitCode: number;
  constructor(signal: NodeJS.Signals, whatWasKept: string) {
    super(`interrupted by ${signal}; ${whatWasKept}`);
    this.name = 'InterruptedError';
    this.exitCode = signal === 'SIGINT' ? 130 : 143;
  }
}

export function isUserError(err: unknown): err is UserError {
  return err instanceof UserError;
}

/** Node's system errors (ENOENT, EACCES, ...) about a path the user gave are user errors. */
export function fsErrorToUser(err: unknown, what: string): unknown {
  const code = (err as NodeJS.ErrnoException)?.code;
  const path = (err as NodeJS.ErrnoException)?.path ?? what;
  switch (code) {
    case 'ENOENT':
      return new UserError(`${what} not found: ${path}`);
    case 'EACCES':
    case 'EPERM':
      return new UserError(`permission denied: ${path} (check the file's permissions)`);
    case 'EISDIR':
      return new UserError(`${path} is a directory; expected a file`);
    case 'ENOTDIR':
      return new UserError(`${path} is not a directory`);
    case 'ENOSPC':
      return new UserError(`no space left on device while writing ${path}`);
    default:
      return err;
  }
}
