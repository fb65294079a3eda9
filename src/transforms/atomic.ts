import {constants, existsSync, mkdirSync, readdirSync, rmSync, statSync} from 'node:fs';
import {copyFile, rename, rm} from 'node:fs/promises';
import {UserError} from '../errors.js';
import {basename, dirname, join} from 'node:path';
import {InterruptedError} from '../errors.js';
import {processAlive} from '../pid.js';

const TMP_MARK = '.nfx-tmp-';

function removeQuietly(path: string): void {
  rmSync(path, {recursive: true, force: true});
}

/**
 * Builds a DuckDB file next to its destination and moves it into place only on success, so a failed,
 * interrupted or killed run leaves the previous file exactly as it was. Leftovers of runs that were
 * killed (their process is gone) are removed when the next run starts.
 */
export class AtomicFile {
  /** The file being built: `<db>.nfx-tmp-<pid>`. */
  readonly buildPath: string;
  /** Where DuckDB spills large operations: `<db>.nfx-tmp-<pid>.spill/`. */
  readonly spillDir: string;
  /** The staging database, inside the spill folder so that it goes with it. */
  readonly stagingPath: string;
  /** Set once Ctrl-C or SIGTERM arrived: the run stops at its next step and discards the build. */
  interrupted: NodeJS.Signals | null = null;
  /** Set by copyTarget: the target as it was copied, which must still be there when the build replaces it. */
  private copied: {ino: number; size: number; mtimeMs: number} | null = null;
  /** Stops the work in progress when a signal arrives (the transform interrupts DuckDB's running query). */
  onInterrupt: (() => void) | null = null;
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    // a second signal, or a run that does not stop within seconds: clean up and leave at once
    if (this.interrupted) return this.abandon(signal);
    this.interrupted = signal;
    this.onInterrupt?.();
    setTimeout(() => this.abandon(signal), 10_000).unref();
  };

  constructor(readonly target: string) {
    this.buildPath = `${target}${TMP_MARK}${process.pid}`;
    this.spillDir = `${this.buildPath}.spill`;
    this.stagingPath = join(this.spillDir, 'staging.duckdb');
  }

  /** Removes leftovers of earlier killed runs and arms Ctrl-C / SIGTERM to discard this build. */
  begin(): void {
    // armed before anything is written, so that no signal finds a file of ours without a handler
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
    const dir = dirname(this.target);
    const prefix = `${basename(this.target)}${TMP_MARK}`;
    for (const name of existsSync(dir) ? readdirSync(dir) : []) {
      if (!name.startsWith(prefix)) continue;
      const pid = Number.parseInt(name.slice(prefix.length), 10);
      if (Number.isInteger(pid) && pid !== process.pid && !processAlive(pid)) removeQuietly(join(dir, name));
    }
    this.discardSync();
    mkdirSync(this.spillDir, {recursive: true});
  }

  /** Throws InterruptedError once Ctrl-C or SIGTERM arrived; the caller's cleanup then runs as for any error. */
  throwIfInterrupted(): void {
    if (this.interrupted) throw new InterruptedError(this.interrupted, `${this.target} was left as it was`);
  }

  private abandon(signal: NodeJS.Signals): void {
    this.discardSync();
    process.stderr.write(`nfx: error: interrupted by ${signal}; ${this.target} was left as it was\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  }

  /** Starts the build as a copy of the target (an append changes the copy); a reflink where the filesystem has them. */
  async copyTarget(): Promise<void> {
    const before = statSync(this.target);
    await copyFile(this.target, this.buildPath, constants.COPYFILE_FICLONE);
    this.copied = {ino: before.ino, size: before.size, mtimeMs: before.mtimeMs};
  }

  /** Moves the finished build over the target (one rename: readers see the old file or the new one). */
  async commit(): Promise<void> {
    this.checkTargetUnchanged();
    // a write-ahead log left beside the old file would be replayed into the new one
    await rm(`${this.target}.wal`, {force: true});
    await rename(this.buildPath, this.target);
    await this.discard();
  }

  /** A build copied from the target must not replace a target another run replaced or changed meanwhile. */
  private checkTargetUnchanged(): void {
    if (!this.copied) return;
    const now = existsSync(this.target) ? statSync(this.target) : null;
    if (!now || now.ino !== this.copied.ino || now.size !== this.copied.size || now.mtimeMs !== this.copied.mtimeMs) {
      throw new UserError(`${this.target} was replaced or changed by another run while this append ran; nothing was written: run the append again`);
    }
  }

  async discard(): Promise<void> {
    this.disarm();
    await Promise.all([this.buildPath, `${this.buildPath}.wal`, this.spillDir].map((path) => rm(path, {recursive: true, force: true})));
  }

  private discardSync(): void {
    for (const path of [this.buildPath, `${this.buildPath}.wal`, this.spillDir]) removeQuietly(path);
  }

  private disarm(): void {
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }
}
