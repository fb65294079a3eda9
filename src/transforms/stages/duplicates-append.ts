import type {DuckDBConnection} from '@duckdb/node-api';
import {UserError} from '../../errors.js';
import type {RatingInput} from '../discover.js';
import {stageSuspectRatings, SuspectStager} from '../duplicates.js';
import {stageStoredBlocks, type StoredRead} from '../movie-blocks.js';
import {rejectLinesAgain} from '../reject-lines.js';
import type {TransformRun} from '../run.js';
import {locateStoredFile} from '../stored.js';

/**
 * Stage duplicates (append): the duplicate rule across the warehouse and the new files (SPEC 4). The
 * suspects are the movies that repeat a pair within the new files or share one with the warehouse; their new
 * lines are read again with line numbers, and, when a new rating ties or beats a stored one, the loaded
 * files too, for the stored rating's file and line. Losers become `duplicate` rejects with their own line.
 */
export async function duplicatesAppend(run: TransformRun): Promise<void> {
  const since = performance.now();
  const connection = run.connection;
  await run.sql('append/01_staging');
  await run.sql('append/10_collisions');
  const suspects = new Set([...run.suspects, ...(await movieIds(connection, 'stored_pair'))]);
  const newFiles = run.inputs.ratingFiles;
  await insertOriginFiles(connection, newFiles.map((f, i) => [i, f.relPath, true]));
  if (suspects.size > 0) {
    await connection.run(`INSERT INTO stg_suspect_movie SELECT unnest(${JSON.stringify([...suspects])}::INTEGER[])`);
    await stageSuspectRatings(connection, newFiles, run.parsed, suspects, run.threads);
  }
  const files = [...newFiles, ...(await stageStoredOrigins(run))];
  run.checkInterrupted();
  await run.sql('append/11_duplicates');
  const fromNew = (await rejectLinesAgain(connection, newFiles, '11_duplicate_lines')).get('duplicate') ?? 0;
  const fromStored = (await rejectLinesAgain(connection, files, 'append/13_stored_loser_lines', 'stg_stored_reject', run.storedBlocks)).get('duplicate') ?? 0;
  run.duplicates = fromNew + fromStored;
  run.storedRatingsReplaced = await run.count('fact_update');
  if (run.duplicates > 0) run.loader.rejectsByReason.set('duplicate', run.duplicates);
  run.lap('duplicates', since);
}

/**
 * The lines of the loaded files for the stored ratings that a new one ties or beats (stored_pair.needs_origin),
 * read again from the files, which must be where they were loaded from or in --data, with the same bytes;
 * only those pairs' lines are staged. Their file ids follow the new files'. Returns the files read.
 */
async function stageStoredOrigins(run: TransformRun): Promise<RatingInput[]> {
  const pairs = (await run.connection.runAndReadAll('SELECT movie_id, customer_id FROM stored_pair WHERE needs_origin')).getRows() as [number, number][];
  if (pairs.length === 0) return [];
  const movies = [...new Set(pairs.map(([movieId]) => movieId))];
  const first = run.inputs.ratingFiles.length;
  const loaded = run.stored!.files.filter((f) => f.kind === 'ratings');
  const files = loaded.map((file) => {
    const found = locateStoredFile(file, run.dataDir);
    if (!found) {
      throw new UserError(
        `${file.path} (loaded by run ${file.runId}) is in neither --data ${run.dataDir} nor ${file.dataDir}: a new rating ties or beats a rating loaded ` +
          'from the files loaded before, and the beaten line must become a duplicate reject; put the loaded files back in --data',
      );
    }
    return found;
  });
  await insertOriginFiles(run.connection, files.map((f, i) => [first + i, f.relPath, false]));
  const stager = await SuspectStager.create(run.connection);
  let whole: StoredRead[];
  let hashed: number;
  try {
    ({whole, blocks: run.storedBlocks, hashed} = await stageStoredBlocks(run.connection, files.map((file, i) => ({fileId: first + i, file, sha256: loaded[i].sha256})), pairs, stager));
  } finally {
    stager.close();
  }
  const blocks = [...run.storedBlocks.values()].flat();
  run.storedReread = {blocks: blocks.length, blockBytes: blocks.reduce((sum, b) => sum + b.end - b.offset, 0), hashedFiles: hashed, wholeFiles: whole.length};
  const byId = [...run.inputs.ratingFiles, ...files];
  const reread = whole.map(({fileId, sha256}) => ({fileId, sha256, movies}));
  await stageSuspectRatings(run.connection, byId, reread, new Set(movies), run.threads, pairs);
  return files;
}

async function movieIds(connection: DuckDBConnection, from: string): Promise<number[]> {
  return (await connection.runAndReadAll(`SELECT DISTINCT movie_id FROM ${from}`)).getRows().map((r) => Number(r[0]));
}

async function insertOriginFiles(connection: DuckDBConnection, rows: [number, string, boolean][]): Promise<void> {
  const appender = await connection.createAppender('stg_origin_file');
  for (const [fileId, path, isNew] of rows) {
    appender.appendInteger(fileId);
    appender.appendVarchar(path);
    appender.appendBoolean(isNew);
    appender.endRow();
  }
  appender.closeSync();
}
