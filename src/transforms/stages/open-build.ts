import {openDuckDB} from '../../duckdb.js';
import {sqlString} from '../../sql.js';
import {AtomicFile} from '../atomic.js';
import {uncompressedBytes, type InputFile, type PairInput} from '../discover.js';
import {ParsePool} from '../parse-pool.js';
import type {TransformRun} from '../run.js';

const DEFAULT_MEMORY_LIMIT = '1GB';

/**
 * Stage open: a new, empty DuckDB file next to --db (it replaces --db only when the run succeeds), its
 * staging tables, and the parse threads, started first so that they load (and read probe.txt) while DuckDB opens.
 */
export async function openBuild(run: TransformRun): Promise<void> {
  const atomic = new AtomicFile(run.db);
  atomic.begin();
  await openStaging(run, atomic, run.inputs.probe);
}

/**
 * Stage open (append): a copy of --db next to it, which the append changes and renames over --db when it
 * succeeds, so readers keep the old file meanwhile and a kill at any moment leaves --db as it was. The copy
 * is a reflink where the filesystem has them; on ext4 a plain copy (0.05-0.3 s per 44 MB 10M warehouse).
 */
export async function openAppend(run: TransformRun): Promise<void> {
  const atomic = new AtomicFile(run.db);
  atomic.begin();
  await atomic.copyTarget();
  // no probe.txt for the threads: the stored rows need flags too, which append/52_probe_flags.sql sets by a join
  run.smallAppend = stagedInMemory(run.lineFiles);
  await openStaging(run, atomic, null, run.smallAppend);
  if (run.smallAppend) await run.sql('append/02_new_lines');
}

/**
 * The new files' staging fits in memory when they are small: ~0.8 bytes of staged rows per byte of input, so
 * IN_MEMORY_STAGING_BYTES of input stage ~200 MB, a fifth of DuckDB's default memory limit. Creating the staging
 * file costs ~0.3 s (its header written and synced), 5 % of a 1M-rating append onto 100M; a full transform
 * stages every rating and keeps the file. Such an append also stages its lines with their line numbers as it
 * first reads them (~1.1 bytes per byte of input more): reading the files again for the competing pairs'
 * lines cost 0.5 s of a 1M-rating append onto 100M.
 * NFX_SMALL_APPEND_BYTES replaces the threshold (tests use it to run the large appends' path on small files).
 */
const IN_MEMORY_STAGING_BYTES = 256 * 1024 * 1024;

function stagedInMemory(files: readonly InputFile[]): boolean {
  return uncompressedBytes(files) <= Number(process.env.NFX_SMALL_APPEND_BYTES ?? IN_MEMORY_STAGING_BYTES);
}

async function openStaging(run: TransformRun, atomic: AtomicFile, probe: PairInput | null, inMemory = false): Promise<void> {
  run.atomic = atomic;
  const lineFiles = run.lineFiles;
  run.pool = ParsePool.start(parseThreads(run.threads, lineFiles.length, lineFiles.some((f) => f.gzip)), probe);
  run.handle = await openDuckDB(atomic.buildPath, {
    threads: run.threads,
    memoryLimit: run.options.memoryLimit ?? DEFAULT_MEMORY_LIMIT,
    tempDirectory: atomic.spillDir,
  });
  const connection = run.handle.connection;
  atomic.onInterrupt = () => connection.interrupt();
  await run.sql('00_attach_staging', {staging_path: sqlString(inMemory ? ':memory:' : atomic.stagingPath)});
  await run.sql('01_staging');
}

/**
 * Parse threads: this thread appends to DuckDB, which costs about twice what parsing does, so one parse
 * thread keeps it busy; gzip input is slower to read and gets a second one where there are cores for it.
 */
function parseThreads(threads: number, files: number, gzip = false): number {
  return Math.max(1, Math.min(files, gzip ? threads : threads - 1));
}
