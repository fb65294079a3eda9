import type {DuckDBConnection} from '@duckdb/node-api';
import {Progress} from '../../progress.js';
import {loadSql} from '../../sql.js';
import type {InputFile, PairInput} from '../discover.js';
import {SuspectStager} from '../duplicates.js';
import {WITHOUT_AGGREGATES} from '../../bench-reference.js';
import {appendCountRows, StagingLoader} from '../load.js';
import type {LineCounts} from '../parse.js';
import type {ParsedFile} from '../parse-file.js';
import type {FileKind, FileRecord, TransformRun} from '../run.js';
import {mergeSuspects} from '../suspects.js';
import {loadTitles} from '../titles.js';

/**
 * Stage parse: rating, probe and qualifying files on the parse threads (bytes -> typed batches) appended by
 * this thread to the staging tables as DataChunks, then the titles; each file's counts go to stg_file.
 */
export async function parse(run: TransformRun): Promise<void> {
  const since = performance.now();
  const connection = run.connection;
  const loader = await StagingLoader.create(connection);
  run.loader = loader;
  const lines = run.smallAppend ? await SuspectStager.create(connection, 'stg_new_line') : null;
  try {
    await parseLineFiles(run, loader, lines);
  } finally {
    lines?.close();
  }
  await parseTitles(run, loader);
  loader.close();
  for (const record of run.records) await insertFile(connection, record);
  await insertAggregateCounts(connection, run.parsed);
  await insertMovieRatings(connection, run.parsed);
  await insertMovieBlocks(connection, run.parsed, run.lineFiles);
  run.lap('parse', since);
}

/** `lines`: a small append's new rating lines with their line numbers (open-build.ts), staged beside the ratings. */
async function parseLineFiles(run: TransformRun, loader: StagingLoader, lines: SuspectStager | null): Promise<void> {
  const lineFiles = run.lineFiles;
  const ratingFiles = run.inputs.ratingFiles.length;
  const totalBytes = lineFiles.reduce((sum, f) => sum + f.bytes, 0);
  const progress = new Progress('parse', totalBytes, 'bytes');
  let bytesRead = 0;
  // a full transform's aggregate tables are rolled up from the threads' counts (run-counts.ts); an append's from its deltas
  const countAggregates = run.mode === 'full' && !WITHOUT_AGGREGATES;
  run.parsed = await run.pool!.parse(lineFiles, {
    batch(batch, fileId) {
      run.checkInterrupted();
      const file = lineFiles[fileId];
      if ('kind' in file) return loader.appendPairs(file.kind, batch);
      loader.appendBatch(batch);
      lines?.add(batch);
      run.ratingsRead += batch.length;
      progress.update(bytesRead, run.ratingsRead);
    },
    rejects: (fileId, records) => loader.appendRejects(fileId, records),
    progress(bytes) {
      bytesRead = bytes;
      progress.update(bytesRead, run.ratingsRead);
    },
  }, undefined, countAggregates);
  progress.finish(totalBytes, run.ratingsRead);
  run.records = run.parsed.map((file) => {
    const input = lineFiles[file.fileId];
    const record = fileRecord(file.fileId, input, file, file.counts, file.fileId < ratingFiles ? 'ratings' : (input as PairInput).kind);
    return 'reread' in input && input.reread ? {...record, reread: true} : record;
  });
  run.suspects = mergeSuspects(run.parsed);
}

async function parseTitles(run: TransformRun, loader: StagingLoader): Promise<void> {
  const titlesFile = run.inputs.titles;
  if (!titlesFile) return;
  const titleAppender = await run.connection.createAppender('stg_title');
  const titlesId = run.records.length;
  const titles = await loadTitles(titlesFile, run.options.titlesEncoding ?? 'auto', titleAppender, {
    reject: (lineNumber, reason, raw) => loader.appendReject(titlesId, lineNumber, reason, raw),
  });
  titleAppender.closeSync();
  run.titlesEncoding = titles.encoding;
  run.records.push(fileRecord(titlesId, titlesFile, titles, titles.counts, 'titles'));
}

function fileRecord(fileId: number, file: InputFile, read: {sha256: string; bytes: number}, counts: LineCounts, kind: FileKind): FileRecord {
  return {fileId, path: file.relPath, kind, bytes: read.bytes, sha256: read.sha256, ...counts};
}

async function insertFile(connection: DuckDBConnection, record: FileRecord): Promise<void> {
  await connection.run(loadSql('duckdb', '02_stg_file_insert'), [
    record.fileId,
    record.path,
    record.kind,
    record.bytes,
    record.sha256,
    record.lines,
    record.blankLines,
    record.headers,
    record.accepted,
    record.rejected,
    record.reread === true,
  ]);
}

/** The parse threads' counts for the aggregate tables (ParsedFile.aggregateCounts), into the stg_count_* tables. */
async function insertAggregateCounts(connection: DuckDBConnection, parsed: ParsedFile[]): Promise<void> {
  const counts = parsed.flatMap((file) => (file.aggregateCounts ? [file.aggregateCounts] : []));
  if (counts.length === 0) return;
  await appendCountRows(connection, 'stg_count_movie_month', counts.map((c) => c.movieMonths));
  await appendCountRows(connection, 'stg_count_movie_star', counts.map((c) => c.movieStars));
  await appendCountRows(connection, 'stg_count_day_star', counts.map((c) => c.dayStars));
}

/** The parse threads' per-file counts of ratings per movie, summed over files, into stg_movie_ratings. */
async function insertMovieRatings(connection: DuckDBConnection, parsed: ParsedFile[]): Promise<void> {
  const ratings = new Map<number, number>();
  for (const file of parsed) file.movies.forEach((movieId, i) => ratings.set(movieId, (ratings.get(movieId) ?? 0) + file.movieRatings[i]));
  const appender = await connection.createAppender('stg_movie_ratings');
  for (const [movieId, n] of ratings) {
    appender.appendInteger(movieId);
    appender.appendBigInt(BigInt(n));
    appender.endRow();
  }
  appender.closeSync();
}

/** Where each movie block of each rating file starts (ParsedFile.blocks), with the file's mtime, into stg_movie_block. */
async function insertMovieBlocks(connection: DuckDBConnection, parsed: ParsedFile[], files: InputFile[]): Promise<void> {
  const appender = await connection.createAppender('stg_movie_block');
  for (const {fileId, blocks} of parsed) {
    const mtimeMs = files[fileId].mtimeMs;
    for (let i = 0; i < blocks.length; i += 3) {
      appender.appendInteger(fileId);
      if (mtimeMs === undefined) appender.appendNull();
      else appender.appendDouble(mtimeMs);
      appender.appendInteger(blocks[i]);
      appender.appendBigInt(BigInt(blocks[i + 1]));
      appender.appendBigInt(BigInt(blocks[i + 2]));
      appender.endRow();
    }
  }
  appender.closeSync();
}
