import {existsSync, statSync} from 'node:fs';
import {DuckDBLockedError, NotDuckDBError, openDuckDB} from '../duckdb.js';
import {UserError} from '../errors.js';
import {log} from '../log.js';

/**
 * Checks that --db may be replaced by a new warehouse: it does not exist yet, or it is an empty file, or a DuckDB
 * file written by nfx that no other process holds open for writing. Replacing a file a DuckDB shell or program
 * is writing to would silently lose what it writes afterwards (it keeps writing to the replaced file), and
 * replacing some other file would destroy it. Readers (nfx query, inspect, report) hold no write lock and keep
 * reading the file they opened, so they do not stand in the way.
 */
export async function checkReplaceable(db: string): Promise<void> {
  if (!existsSync(db)) return;
  const stat = statSync(db);
  if (stat.isDirectory()) throw new UserError(`--db ${db} is a directory; pass the path of the DuckDB file to write, e.g. ${db}/netflix.duckdb`);
  if (stat.size === 0) return;
  let handle;
  try {
    handle = await openDuckDB(db, {readOnly: true});
  } catch (err) {
    if (err instanceof DuckDBLockedError) {
      throw new UserError(`${err.inUse}, writing to it; replacing it now would lose what that process writes next, so close it and run the transform again`);
    }
    if (err instanceof NotDuckDBError) {
      throw new UserError(`--db ${db} exists and is not a DuckDB database; nfx transform replaces --db as a whole, so pass another path or move that file away`);
    }
    // anything else (a write-ahead log a crashed writer left, say) does not make the file someone else's
    log().debug(`could not open ${db} to check it before replacing it: ${err instanceof Error ? err.message : String(err)}`);
    return;
  }
  try {
    const tables = (await handle.connection.runAndReadAll("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1")).getRows().map((r) => String(r[0]));
    if (tables.length > 0 && !tables.includes('etl_run')) {
      throw new UserError(
        `--db ${db} is a DuckDB database nfx did not write (tables ${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', ...' : ''}); nfx transform replaces --db as a whole, so pass another path or move that file away`,
      );
    }
  } finally {
    handle.close();
  }
}
