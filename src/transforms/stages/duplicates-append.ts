import type {DuckDBConnection} from '@duckdb/node-api';
import {UserError} from '../../errors.js';
import type {RatingInput} from '../discover.js';
import {stageSuspectRatings, SuspectStager} from '../duplicates.js';
import {FirstDateScan} from '../first-date-scan.js';
import {stageStoredBlocks, type StoredBlocksRead} from '../movie-blocks.js';
import {loadSql} from '../../sql.js';
import {rejectLinesAgain} from '../reject-lines.js';
import type {TransformRun} from '../run.js';
import {locateStoredFile} from '../stored.js';

/** The most competing pairs sent to the parse threads as a filter (each thread builds a set of them). */
const PAIRS_SENT = 500_000;

/**
 * Stage duplicates (append): the duplicate rule across the warehouse and the new files (SPEC 4). The
 * competing pairs are those the new files repeat or share with the warehouse; their new lines with line numbers
 * come from the lines a small append staged as it read them (a large one reads them again), and, when a new
 * rating ties or beats a stored one, the loaded files' movie blocks are read for the stored rating's file and
 * line. Losers become `duplicate` rejects with their own line.
 */
export async function duplicatesAppend(run: TransformRun): Promise<void> {
  const since = performance.now();
  const connection = run.connection;
  await run.sql('append/01_staging');
  await run.sql('append/10_collisions');
  const moves = (await connection.runAndReadAll(loadSql('duckdb', 'append/14_first_date_moves'))).getRows() as [number, number][];
  // awaited by the star stage's customer deltas (and by abandon, after an error or Ctrl-C)
  run.firstDateScan = await FirstDateScan.start(run.handle!.instance, moves);
  await rankCompetingPairs(run);
  if (run.duplicates > 0) run.loader.rejectsByReason.set('duplicate', run.duplicates);
  run.lap('duplicates', since);
}

/**
 * The duplicate rule over the competing pairs: their new lines staged with line numbers, the stored ones'
 * lines where a new one ties or beats them, ranked (append/11_duplicates.sql), the losers' rejects written.
 */
async function rankCompetingPairs(run: TransformRun): Promise<void> {
  const connection = run.connection;
  if (run.suspects.size > 0) await connection.run(`INSERT INTO stg_suspect_movie SELECT unnest(${JSON.stringify([...run.suspects])}::INTEGER[])`);
  await run.sql('append/12_competing_pairs');
  const newFiles = run.inputs.ratingFiles;
  await insertOriginFiles(connection, newFiles.map((f, i) => [i, f.relPath, true]));
  if (run.smallAppend) await run.sql('append/13_competing_new_lines');
  else await restageCompetingLines(run);
  const stored = await stageStoredOrigins(run);
  const files = [...newFiles, ...stored.files];
  run.checkInterrupted();
  await run.sql('append/11_duplicates');
  const fromNew = (await rejectLinesAgain(connection, newFiles, '11_duplicate_lines')).get('duplicate') ?? 0;
  const fromStored = (await rejectLinesAgain(connection, files, 'append/13_stored_loser_lines', 'stg_stored_reject', stored.lines)).get('duplicate') ?? 0;
  run.duplicates = fromNew + fromStored;
  run.storedRatingsReplaced = await run.count('fact_update');
}

/** A large append's competing pairs' new lines, read again from the new files with their line numbers. */
async function restageCompetingLines(run: TransformRun): Promise<void> {
  const connection = run.connection;
  const competing = (await connection.runAndReadAll('SELECT movie_id, customer_id FROM competing_pair')).getRows() as [number, number][];
  if (competing.length > 0) {
    // only the competing pairs' lines are staged: at 100M + 1M their 3 K pairs sit in movies with 670 K of the
    // new ratings, which staging and ranking whole cost ~0.5 s; past PAIRS_SENT the threads stage the movies
    // whole (11_duplicates.sql keeps the competing pairs' rows of them)
    const movies = new Set(competing.map(([movieId]) => movieId));
    await stageSuspectRatings(connection, run.inputs.ratingFiles, run.parsed, movies, run.threads, competing.length <= PAIRS_SENT ? competing : undefined);
  }
}

/**
 * The lines of the loaded files for the stored ratings that a new one ties or beats (stored_pair.needs_origin),
 * read again from the files, which must be where they were loaded from or in --data, with the same bytes;
 * only those pairs' lines are staged. Their file ids follow the new files'. Returns the files read and, for
 * those read by movie blocks, the staged lines' raw text (by file id, then line number).
 */
async function stageStoredOrigins(run: TransformRun): Promise<{files: RatingInput[]; lines: Map<number, Map<number, string>>}> {
  const pairs = (await run.connection.runAndReadAll('SELECT movie_id, customer_id FROM stored_pair WHERE needs_origin')).getRows() as [number, number][];
  if (pairs.length === 0) return {files: [], lines: new Map()};
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
  let read: StoredBlocksRead;
  try {
    read = await stageStoredBlocks(run.connection, files.map((file, i) => ({fileId: first + i, file, sha256: loaded[i].sha256})), pairs, stager);
  } finally {
    stager.close();
  }
  run.storedReread = {blocks: read.blocks, blockBytes: read.blockBytes, hashedFiles: read.hashed, wholeFiles: read.whole.length};
  const byId = [...run.inputs.ratingFiles, ...files];
  const reread = read.whole.map(({fileId, sha256}) => ({fileId, sha256, movies}));
  await stageSuspectRatings(run.connection, byId, reread, new Set(movies), run.threads, pairs);
  return {files, lines: read.lines};
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
