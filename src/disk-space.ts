import {existsSync, statfsSync} from 'node:fs';
import {dirname} from 'node:path';
import {UserError} from './errors.js';

/** Whether `err` says a disk filled up: Node's ENOSPC, or DuckDB's IO error text ("No space left on device"). */
export function isDiskFull(err: unknown): boolean {
  if ((err as NodeJS.ErrnoException)?.code === 'ENOSPC') return true;
  return /No space left on device|ENOSPC/i.test((err as Error)?.message ?? '');
}

export interface DiskFull {
  /** The directory that filled up (the one --db or --out is in). */
  dir: string;
  /** What was being written, e.g. "the warehouse". */
  writing: string;
  /** Rough bytes the run needs in `dir`, with how that was estimated. */
  needs: {bytes: number; basis: string};
  /** What was kept, e.g. "/data/w.duckdb is as it was and the temporary files are removed". */
  kept: string;
  /** The flag that names another place, e.g. "--db". */
  flag: string;
}

/** A full disk, as one line: where, how much is free there now, roughly what the run needs, what was kept. */
export function diskFullError(full: DiskFull): UserError {
  const space = freeSpace(full.dir);
  const free = space ? ` (${megabytes(space.free)} free of ${megabytes(space.size)})` : '';
  return new UserError(
    `out of disk space in ${full.dir}${free} while writing ${full.writing}; the run needs roughly ${megabytes(full.needs.bytes)} there (${full.needs.basis}): free some space or point ${full.flag} at another disk. ${full.kept}`,
  );
}

/** Free and total bytes of the file system holding `dir` (or its nearest existing parent). */
function freeSpace(dir: string): {free: number; size: number} | undefined {
  let path = dir;
  while (!existsSync(path) && dirname(path) !== path) path = dirname(path);
  try {
    const fs = statfsSync(path);
    return {free: fs.bavail * fs.bsize, size: fs.blocks * fs.bsize};
  } catch {
    return undefined;
  }
}

function megabytes(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}
