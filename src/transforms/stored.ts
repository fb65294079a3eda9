import {existsSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {openDuckDB} from '../duckdb.js';
import {UserError} from '../errors.js';
import {loadSql} from '../sql.js';
import type {Inputs, RatingInput} from './discover.js';
import {sha256File} from './read.js';
import type {SkippedFile} from './run.js';

/** One file a warehouse holds (source_file, latest run per path). */
export interface StoredFile {
  path: string;
  sha256: string;
  bytes: number;
  kind: 'ratings' | 'titles';
  runId: string;
  /** --data of the run that loaded it: where the duplicate rule looks for it when --data lacks it. */
  dataDir: string;
}

/** What an append needs to know of the warehouse before it opens a copy of it. */
export interface StoredWarehouse {
  files: StoredFile[];
}

const WAREHOUSE_TABLES = ['dim_date', 'dim_movie', 'dim_customer', 'fact_ratings', 'agg_movie', 'agg_date', 'agg_customer_year', 'agg_movie_month', 'rejects', 'etl_run', 'source_file'];

/** Opens --db read-only and reads its loaded files; a missing file or one that is no nfx warehouse is a user error. */
export async function readStoredWarehouse(db: string): Promise<StoredWarehouse> {
  if (!existsSync(db) || statSync(db).size === 0) {
    throw new UserError(`--db ${db} does not exist; --append adds files to a warehouse nfx transform built, so run nfx transform first`);
  }
  const handle = await openDuckDB(db, {readOnly: true});
  try {
    const connection = handle.connection;
    const tables = new Set((await connection.runAndReadAll("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'")).getRows().map((r) => String(r[0])));
    const missing = WAREHOUSE_TABLES.filter((name) => !tables.has(name));
    if (missing.length > 0) {
      throw new UserError(
        tables.has('etl_run') && tables.has('fact_ratings')
          ? `--db ${db} was built by an earlier nfx (it lacks ${missing.join(', ')}); rebuild it with nfx transform before appending to it`
          : `--db ${db} is not an nfx warehouse (it lacks ${missing.join(', ')}); pass the DuckDB file nfx transform wrote`,
      );
    }
    const [mode] = (await connection.runAndReadAll("SELECT count(*) FROM information_schema.columns WHERE table_name = 'etl_run' AND column_name = 'mode'")).getRows();
    if (Number(mode[0]) === 0) throw new UserError(`--db ${db} was built by an earlier nfx (its etl_run has no mode column); rebuild it with nfx transform before appending to it`);
    const rows = (await connection.runAndReadAll(loadSql('duckdb', 'append/00_stored_files'))).getRowObjectsJson();
    return {
      files: rows.map((r) => ({
        path: String(r.path),
        sha256: String(r.sha256),
        bytes: Number(r.bytes),
        kind: r.kind === 'titles' ? 'titles' : 'ratings',
        runId: String(r.run_id),
        dataDir: String(r.data_dir),
      })),
    };
  } finally {
    handle.close();
  }
}

/**
 * Splits the discovered inputs into the files to load and the files already loaded (SPEC 4): a file with
 * the bytes of a loaded file is skipped; a loaded rating file whose bytes changed is refused (exit 2), as
 * only a full transform replaces loaded ratings. A changed titles file is loaded (type 1 overwrite).
 * Only files whose size matches a loaded file are hashed here (a different size is a different file).
 */
export async function planAppend(inputs: Inputs, stored: StoredWarehouse): Promise<{inputs: Inputs; skipped: SkippedFile[]}> {
  const byPath = new Map(stored.files.map((f) => [f.path, f]));
  const skipped: SkippedFile[] = [];
  const isNew = async (file: {path: string; relPath: string; bytes: number}, kind: StoredFile['kind']): Promise<boolean> => {
    const samePath = byPath.get(file.relPath);
    const sameSize = stored.files.filter((f) => f.kind === kind && f.bytes === file.bytes);
    if (sameSize.length === 0 && !(samePath && kind === 'ratings')) return true;
    const sha256 = await sha256File(file.path);
    const loaded = sameSize.find((f) => f.sha256 === sha256);
    if (loaded) {
      skipped.push({path: file.relPath, sha256, loadedAs: loaded.path});
      return false;
    }
    if (samePath && kind === 'ratings') {
      throw new UserError(
        `${file.relPath} was loaded before (run ${samePath.runId}) and its bytes changed (sha256 ${samePath.sha256.slice(0, 12)}… now ${sha256.slice(0, 12)}…); ` +
          'an append only adds files: run nfx transform without --append to rebuild from the changed file',
      );
    }
    return true;
  };
  const ratingFiles: RatingInput[] = [];
  for (const file of inputs.ratingFiles) if (await isNew(file, 'ratings')) ratingFiles.push(file);
  const titles = inputs.titles && (await isNew(inputs.titles, 'titles')) ? inputs.titles : null;
  return {inputs: {...inputs, ratingFiles, titles}, skipped};
}

/**
 * Where a loaded rating file is now, for the duplicate rule to read the line of a stored rating that a new
 * one beats: in --data, else in the --data of the run that loaded it; null when it is in neither.
 */
export function locateStoredFile(file: StoredFile, dataDir: string): RatingInput | null {
  for (const dir of [dataDir, file.dataDir]) {
    const path = join(dir, file.path);
    if (existsSync(path) && statSync(path).size === file.bytes) {
      return {path, relPath: file.path, bytes: file.bytes, gzip: file.path.endsWith('.gz'), layout: file.path.startsWith('training_set/') ? 'training-set' : 'combined'};
    }
  }
  return null;
}
