import {closeSync, openSync, readSync, statSync} from 'node:fs';
import type {DuckDBConnection} from '@duckdb/node-api';
import {DuckDBInstance} from './duckdb-api.js';
import {UserError} from './errors.js';

export interface DuckDBOptions {
  readOnly?: boolean;
  threads?: number;
  /** DuckDB size string, e.g. '1GB'. Large sorts spill to tempDirectory beyond it. */
  memoryLimit?: string;
  tempDirectory?: string;
  /**
   * DuckDB's perfect_ht_threshold: a GROUP BY whose keys span at most 2^bits values (by the column statistics)
   * uses an array indexed by the key instead of a hash table. Default 12.
   */
  perfectHashBits?: number;
  /**
   * false: the connection may touch no file but this database (no COPY TO, ATTACH, EXPORT, read_csv, INSTALL),
   * and the configuration is locked so a SET cannot undo that. For running SQL a user typed.
   */
  externalAccess?: boolean;
}

export interface DuckDBHandle {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
  close(): void;
}

/**
 * Opens a DuckDB file. Extension auto-install is off: nfx only uses what is built in (parquet, json, icu),
 * and on a machine without network a download attempt would hang or fail.
 */
export async function openDuckDB(path: string, options: DuckDBOptions = {}): Promise<DuckDBHandle> {
  const config: Record<string, string> = {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  };
  if (options.readOnly) config.access_mode = 'READ_ONLY';
  if (options.threads) config.threads = String(options.threads);
  if (options.memoryLimit) config.memory_limit = options.memoryLimit;
  if (options.tempDirectory) config.temp_directory = options.tempDirectory;
  if (options.perfectHashBits) config.perfect_ht_threshold = String(options.perfectHashBits);
  if (options.externalAccess === false) {
    config.enable_external_access = 'false';
    config.lock_configuration = 'true';
  }
  // DuckDB's own messages for a file of another kind depend on its name (a read-only open of x.csv says
  // "Cannot launch in-memory database"), so the header is looked at first
  if (!isDuckDBFileOrNew(path)) throw new NotDuckDBError(path);
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path, config);
  } catch (err) {
    throw duckdbOpenError(path, err);
  }
  const connection = await instance.connect();
  return {
    instance,
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

function duckdbOpenError(path: string, err: unknown): unknown {
  const message = err instanceof Error ? err.message : String(err);
  if (/lock/i.test(message)) {
    const holder = /Conflicting lock is held in (.*?) \(PID (\d+)\)/.exec(message);
    const who = holder ? ` (${holder[1]}, PID ${holder[2]})` : '';
    return new DuckDBLockedError(path, who);
  }
  if (/not a valid DuckDB database|Invalid Input Error: The file/i.test(message) || /database file .* is not/i.test(message)) return new NotDuckDBError(path);
  if (/No such file|does not exist|Cannot open/i.test(message)) return new UserError(`cannot open ${path}: ${message.split('\n')[0]}`);
  if (/Failed to set config|Invalid Input Error|Invalid Configuration|memory_limit|threads/i.test(message)) {
    return new UserError(`DuckDB refused a setting (${message.split('\n')[0]}); check --threads and --memory-limit`);
  }
  return err;
}

/** Another process holds DuckDB's lock on the file (a writer, or a reader when we want to write). */
export class DuckDBLockedError extends UserError {
  /** "<path> is in use by another process (<program>, PID <pid>) that holds DuckDB's lock on it", for callers' own advice. */
  readonly inUse: string;

  /** `holder`: ` (<program>, PID <pid>)` when DuckDB named it, else empty. */
  constructor(
    readonly path: string,
    holder: string,
  ) {
    const inUse = `${path} is in use by another process${holder} that holds DuckDB's lock on it`;
    super(`${inUse}; wait for it to finish or close it`);
    this.inUse = inUse;
  }
}

/** The file exists and is something other than a DuckDB database. */
export class NotDuckDBError extends UserError {
  constructor(readonly path: string) {
    super(`${path} is not a DuckDB database file; pass --db with a file written by nfx transform`);
  }
}

/**
 * Whether `path` is missing, empty, or a file with a DuckDB header (the magic bytes `DUCK` at offset 8): what
 * DuckDB may open. Anything else is another kind of file, or a directory.
 */
function isDuckDBFileOrNew(path: string): boolean {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return true;
  }
  if (stat.isDirectory()) return false;
  if (stat.size === 0) return true;
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(12);
    return readSync(fd, header, 0, 12, 0) === 12 && header.toString('latin1', 8, 12) === 'DUCK';
  } finally {
    closeSync(fd);
  }
}

/** The tables of the main schema of the connection's current database (not of an attached one, nor temp). */
export async function mainTables(connection: DuckDBConnection): Promise<string[]> {
  const reader = await connection.runAndReadAll("SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' ORDER BY table_name");
  return reader.getRows().map((row) => String(row[0]));
}

/** Whether the main schema of the connection's current database holds the table `name`. */
export async function hasTable(connection: DuckDBConnection, name: string): Promise<boolean> {
  return (await mainTables(connection)).includes(name);
}

/** Runs a script of several `;`-separated statements (a whole .sql file). */
export async function runScript(connection: DuckDBConnection, sql: string): Promise<void> {
  await connection.run(sql);
}
