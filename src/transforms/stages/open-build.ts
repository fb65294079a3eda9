import {openDuckDB} from '../../duckdb.js';
import {sqlString} from '../../sql.js';
import {AtomicFile} from '../atomic.js';
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
  run.atomic = atomic;
  const lineFiles = run.lineFiles;
  run.pool = ParsePool.start(parseThreads(run.threads, lineFiles.length, lineFiles.some((f) => f.gzip)), run.inputs.probe);
  run.handle = await openDuckDB(atomic.buildPath, {
    threads: run.threads,
    memoryLimit: run.options.memoryLimit ?? DEFAULT_MEMORY_LIMIT,
    tempDirectory: atomic.spillDir,
  });
  const connection = run.handle.connection;
  atomic.onInterrupt = () => connection.interrupt();
  await run.sql('00_attach_staging', {staging_path: sqlString(atomic.stagingPath)});
  await run.sql('01_staging');
}

/**
 * Parse threads: this thread appends to DuckDB, which costs about twice what parsing does, so one parse
 * thread keeps it busy; gzip input is slower to read and gets a second one where there are cores for it.
 */
function parseThreads(threads: number, files: number, gzip = false): number {
  return Math.max(1, Math.min(files, gzip ? threads : threads - 1));
}
