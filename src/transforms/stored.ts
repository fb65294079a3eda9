import {existsSync, statSync} from 'node:fs';
import {join} from 'node:path';
import type {DuckDBConnection} from '@duckdb/node-api';
import {mainTables, openDuckDB} from '../duckdb.js';
import {UserError} from '../errors.js';
import {loadSql} from '../sql.js';
import type {InputFile, Inputs, PairInput, RatingInput} from './discover.js';
import type {PairKind} from './parse-pairs.js';
import {sha256File} from './read.js';
import type {FileKind, SkippedFile} from './run.js';

/** One file a warehouse holds (source_file, latest run per path). */
export interface StoredFile {
  path: string;
  sha256: string;
  bytes: number;
  kind: FileKind;
  runId: string;
  /** Its lines rejected by a rule a grown warehouse may decide otherwise (probe_not_rated, unknown_*). */
  relationalRejects: number;
  /** --data of the run that loaded it: where the duplicate rule looks for it when --data lacks it. */
  dataDir: string;
}

/** What an append needs to know of the warehouse before it opens a copy of it. */
export interface StoredWarehouse {
  files: StoredFile[];
}

const WAREHOUSE_TABLES = ['dim_date', 'dim_movie', 'dim_customer', 'fact_ratings', 'fact_qualifying', 'agg_movie', 'agg_date', 'agg_customer_year', 'agg_movie_month', 'rejects', 'etl_run', 'source_file'];

/** Opens --db read-only and reads its loaded files; a missing file or one that is no nfx warehouse is a user error. */
export async function readStoredWarehouse(db: string): Promise<StoredWarehouse> {
  if (!existsSync(db) || statSync(db).size === 0) {
    throw new UserError(`--db ${db} does not exist; --append adds files to a warehouse nfx transform built, so run nfx transform first`);
  }
  const handle = await openDuckDB(db, {readOnly: true});
  try {
    const connection = handle.connection;
    const tables = new Set(await mainTables(connection));
    const missing = WAREHOUSE_TABLES.filter((name) => !tables.has(name));
    if (missing.length > 0) {
      throw new UserError(
        tables.has('etl_run') && tables.has('fact_ratings')
          ? `--db ${db} was built by an earlier nfx (it lacks ${missing.join(', ')}); rebuild it with nfx transform before appending to it`
          : `--db ${db} is not an nfx warehouse (it lacks ${missing.join(', ')}); pass the DuckDB file nfx transform wrote`,
      );
    }
    const lacking = await lackingColumns(connection, [
      ['etl_run', 'mode'],
      ['source_file', 'kind'],
      ['fact_ratings', 'is_probe'],
    ]);
    if (lacking.length > 0) throw new UserError(`--db ${db} was built by an earlier nfx (it lacks ${lacking.join(', ')}); rebuild it with nfx transform before appending to it`);
    const rows = (await connection.runAndReadAll(loadSql('duckdb', 'append/00_stored_files'))).getRowObjectsJson();
    return {
      files: rows.map((r) => ({
        path: String(r.path),
        sha256: String(r.sha256),
        bytes: Number(r.bytes),
        kind: String(r.kind) as FileKind,
        runId: String(r.run_id),
        dataDir: String(r.data_dir),
        relationalRejects: Number(r.relational_rejects),
      })),
    };
  } finally {
    handle.close();
  }
}

/** The `table.column` names of `wanted` that the warehouse lacks (it was built by an earlier nfx). */
async function lackingColumns(connection: DuckDBConnection, wanted: [string, string][]): Promise<string[]> {
  const rows = (await connection.runAndReadAll("SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'main'")).getRows();
  const present = new Set(rows.map((r) => String(r[0])));
  return wanted.map(([table, column]) => `${table}.${column}`).filter((name) => !present.has(name));
}

/** What an append loads: the new files, the loaded ones it skips, and the kinds of pair file it decides again. */
export interface AppendPlan {
  inputs: Inputs;
  skipped: SkippedFile[];
}

/**
 * Splits the discovered inputs into the files to load and the files already loaded (SPEC 4): a file with
 * the bytes of a loaded file is skipped; a loaded rating file whose bytes changed is refused (exit 2), as
 * only a full transform replaces loaded ratings; so is a second probe or qualifying file (a warehouse, like a
 * full load, holds one of each). A changed titles file is loaded (type 1 overwrite). A loaded probe or
 * qualifying file whose lines a rule rejected against the smaller warehouse (probe_not_rated, unknown_*) is
 * read again, from --data or where it was loaded from, when the append brings what may change that
 * (ratings; for qualifying, titles too): its inputs entry has `reread` set.
 * Only files whose size matches a loaded file are hashed here (a different size is a different file).
 */
export async function planAppend(inputs: Inputs, stored: StoredWarehouse, dataDir: string): Promise<AppendPlan> {
  const skipped: SkippedFile[] = [];
  const isNew = async (file: InputFile, kind: FileKind): Promise<boolean> => {
    const sameKind = stored.files.filter((f) => f.kind === kind);
    const replaced = kind === 'titles' ? undefined : kind === 'ratings' ? sameKind.find((f) => f.path === file.relPath) : sameKind[0];
    const sameSize = sameKind.filter((f) => f.bytes === file.bytes);
    if (sameSize.length === 0 && !replaced) return true;
    const sha256 = await sha256File(file.path);
    const loaded = sameSize.find((f) => f.sha256 === sha256);
    if (loaded) {
      skipped.push({path: file.relPath, sha256, loadedAs: loaded.path});
      return false;
    }
    if (replaced) throw changedFileError(file.relPath, kind, replaced, sha256);
    return true;
  };
  const ratingFiles: RatingInput[] = [];
  for (const file of inputs.ratingFiles) if (await isNew(file, 'ratings')) ratingFiles.push(file);
  const titles = inputs.titles && (await isNew(inputs.titles, 'titles')) ? inputs.titles : null;
  const pairFile = async (kind: PairKind): Promise<PairInput | null> => {
    const file = inputs[kind];
    if (file && (await isNew(file, kind))) return file;
    const loaded = stored.files.find((f) => f.kind === kind);
    const grows = ratingFiles.length > 0 || (kind === 'qualifying' && titles !== null);
    if (!loaded || loaded.relationalRejects === 0 || !grows) return null;
    const found = locateStoredFile(loaded, dataDir);
    if (!found) {
      throw new UserError(
        `${loaded.path} (loaded by run ${loaded.runId}) is in neither --data ${dataDir} nor ${loaded.dataDir}: ${loaded.relationalRejects} of its lines were ` +
          'rejected against the warehouse as it was, and the append must decide them again against the new files; put the file back in --data',
      );
    }
    return {...found, kind, reread: true};
  };
  return {inputs: {...inputs, ratingFiles, titles, probe: await pairFile('probe'), qualifying: await pairFile('qualifying')}, skipped};
}

function changedFileError(path: string, kind: FileKind, loaded: StoredFile, sha256: string): UserError {
  const what =
    kind === 'ratings'
      ? `${path} was loaded before (run ${loaded.runId}) and its bytes changed`
      : `the warehouse holds ${loaded.path} already (run ${loaded.runId}), and ${path} has other bytes`;
  const why = kind === 'ratings' ? 'an append only adds files' : `a warehouse holds one ${kind} file, as a full load does`;
  return new UserError(
    `${what} (sha256 ${loaded.sha256.slice(0, 12)}… now ${sha256.slice(0, 12)}…); ${why}: run nfx transform without --append to rebuild from the changed file`,
  );
}

/**
 * Where a loaded file is now, for the duplicate rule to read the line of a stored rating that a new one
 * beats, or for a probe or qualifying file decided again: in --data, else in the --data of the run that
 * loaded it; null when it is in neither. (Its bytes are checked against the stored sha256 when read.)
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
