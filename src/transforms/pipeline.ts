import {randomUUID} from 'node:crypto';
import {availableParallelism} from 'node:os';
import {existsSync} from 'node:fs';
import {dirname, resolve} from 'node:path';
import type {DuckDBConnection} from '@duckdb/node-api';
import {diskFullError, isDiskFull} from '../disk-space.js';
import {openDuckDB} from '../duckdb.js';
import {QualityError, UserError} from '../errors.js';
import {log} from '../log.js';
import {Progress} from '../progress.js';
import {loadSql, nfxVersion, sqlString} from '../sql.js';
import {checkLineAccounting} from './account.js';
import {AtomicFile} from './atomic.js';
import {parseIsoDate} from './calendar.js';
import {discoverInputs, type InputFile} from './discover.js';
import {rejectDuplicates, stageSuspectRatings} from './duplicates.js';
import {StagingLoader} from './load.js';
import {mergeSuspects} from './suspects.js';
import type {LineCounts} from './parse.js';
import type {ParsedFile} from './parse-file.js';
import {ParsePool} from './parse-pool.js';
import {ALL_REJECT_REASONS} from './reasons.js';
import {dateLiteral, runStage} from './star.js';
import {checkReplaceable} from './target.js';
import {loadTitles, type TitlesEncoding} from './titles.js';

export interface TransformOptions {
  dataDir: string;
  db: string;
  threads?: number;
  memoryLimit?: string;
  maxRejectRate?: number;
  titlesEncoding?: TitlesEncoding;
  dateFrom?: string;
  dateTo?: string;
}

export interface SourceFileSummary {
  path: string;
  bytes: number;
  sha256: string;
  lines: number;
  blankLines: number;
  headers: number;
  accepted: number;
  rejected: number;
}

export interface TransformSummary {
  db: string;
  dataDir: string;
  runId: string;
  nfxVersion: string;
  tables: {dim_date: number; dim_movie: number; dim_customer: number; fact_ratings: number; rejects: number};
  rejectsByReason: Record<string, number>;
  moviesWithoutTitle: number;
  dateRange: {from: string | null; to: string | null};
  files: SourceFileSummary[];
  titlesEncoding: 'latin1' | 'utf8' | null;
  ignoredFiles: string[];
  stages: Record<string, number>;
  seconds: number;
  ratingsPerSecond: number;
}

interface FileRecord extends SourceFileSummary {
  fileId: number;
}


const DEFAULT_MEMORY_LIMIT = '1GB';
/** The aggregate tables of SPEC 2.1, built from fact_ratings (and agg_customer_year from dim_customer's scan). */
const AGGREGATE_STAGES = ['55_agg_movie', '56_agg_movie_month', '57_agg_date', '58_agg_customer_year'];
const MEMORY_SIZE = /^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB|%)$/i;

function validateOptions(options: TransformOptions): void {
  for (const [flag, value] of [
    ['--date-from', options.dateFrom],
    ['--date-to', options.dateTo],
  ] as const) {
    if (value !== undefined && Number.isNaN(parseIsoDate(value))) throw new UserError(`${flag} ${value} is not a date; write it as YYYY-MM-DD`);
  }
  if (options.dateFrom && options.dateTo && options.dateFrom > options.dateTo) {
    throw new UserError(`--date-from ${options.dateFrom} is after --date-to ${options.dateTo}`);
  }
  const rate = options.maxRejectRate ?? 0.01;
  if (!(rate >= 0 && rate <= 1)) throw new UserError(`--max-reject-rate ${rate} must be between 0 and 1`);
  if (options.threads !== undefined && !(options.threads >= 1)) throw new UserError(`--threads ${options.threads} must be at least 1`);
  if (options.memoryLimit !== undefined && !MEMORY_SIZE.test(options.memoryLimit)) {
    throw new UserError(`--memory-limit ${options.memoryLimit} is not a size; write it like 512MB, 2GB or 50%`);
  }
}

async function count(connection: DuckDBConnection, table: string): Promise<number> {
  const reader = await connection.runAndReadAll(`SELECT count(*) FROM ${table}`);
  return Number(reader.getRows()[0][0]);
}

async function insertFile(connection: DuckDBConnection, record: FileRecord): Promise<void> {
  await connection.run(loadSql('duckdb', '02_stg_file_insert'), [
    record.fileId,
    record.path,
    record.bytes,
    record.sha256,
    record.lines,
    record.blankLines,
    record.headers,
    record.accepted,
    record.rejected,
  ]);
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

function fileRecord(fileId: number, file: InputFile, read: {sha256: string; bytes: number}, counts: LineCounts): FileRecord {
  return {fileId, path: file.relPath, bytes: read.bytes, sha256: read.sha256, ...counts};
}

/**
 * Parse threads: this thread appends to DuckDB, which costs about twice what parsing does, so one parse
 * thread keeps it busy; gzip input is slower to read and gets a second one where there are cores for it.
 */
function parseThreads(threads: number, files: number, gzip = false): number {
  return Math.max(1, Math.min(files, gzip ? threads : threads - 1));
}

/**
 * The transform: discover -> parse + load (per file) -> titles -> quality gate -> star SQL -> rejects
 * -> line accounting -> lineage, all into a temporary DuckDB file that replaces --db only on success.
 */
export async function runTransform(options: TransformOptions): Promise<TransformSummary> {
  const started = new Date();
  const clock = performance.now();
  const stages: Record<string, number> = {};
  const lap = (stage: string, since: number): number => {
    const now = performance.now();
    stages[stage] = Number(((now - since) / 1000).toFixed(3));
    return now;
  };
  validateOptions(options);
  const dataDir = resolve(options.dataDir);
  const db = resolve(options.db);
  const inputs = await discoverInputs(dataDir);
  await checkReplaceable(db);
  for (const name of inputs.ignored) log().info(`${name} found: probe and qualifying sets are not loaded yet (planned), so it is ignored`);
  log().debug(`inputs: ${inputs.ratingFiles.length} rating files (${inputs.ratingFiles.reduce((sum, f) => sum + f.bytes, 0)} bytes), titles: ${inputs.titles?.relPath ?? 'none'}`);
  if (!inputs.titles) log().warn(`no movie_titles.csv or movie_titles.txt in ${dataDir}: every movie will have a NULL title`);

  const atomic = new AtomicFile(db);
  atomic.begin();
  const threads = options.threads ?? availableParallelism();
  // the parse threads load while DuckDB opens
  const pool = ParsePool.start(parseThreads(threads, inputs.ratingFiles.length, inputs.ratingFiles.some((f) => f.gzip)));
  const handle = await openDuckDB(atomic.buildPath, {
    threads,
    memoryLimit: options.memoryLimit ?? DEFAULT_MEMORY_LIMIT,
    tempDirectory: atomic.spillDir,
  }).catch(async (err) => {
    pool.close();
    await atomic.discard();
    throw isDiskFull(err) ? transformDiskFull(db, inputs.ratingFiles) : err;
  });
  const connection = handle.connection;
  atomic.onInterrupt = () => connection.interrupt();
  // every SQL stage checks for Ctrl-C before and after it runs
  const stage = async (name: string, values: Record<string, string | number> = {}): Promise<number> => {
    atomic.throwIfInterrupted();
    const seconds = await runStage(connection, name, values);
    atomic.throwIfInterrupted();
    return seconds;
  };
  try {
    let since = performance.now();
    await stage('00_attach_staging', {staging_path: sqlString(atomic.stagingPath)});
    await stage('01_staging');

    // parse (worker threads) + load (this thread): bytes -> typed batches -> DataChunks
    const loader = await StagingLoader.create(connection);
    const totalBytes = inputs.ratingFiles.reduce((sum, f) => sum + f.bytes, 0);
    const progress = new Progress('parse', totalBytes, 'bytes');
    let ratingsRead = 0;
    let bytesRead = 0;
    const parsed = await pool.parse(inputs.ratingFiles, {
      batch(batch) {
        atomic.throwIfInterrupted();
        loader.appendBatch(batch);
        ratingsRead += batch.length;
        progress.update(bytesRead, ratingsRead);
      },
      rejects: (fileId, records) => loader.appendRejects(fileId, records),
      progress(bytes) {
        bytesRead = bytes;
        progress.update(bytesRead, ratingsRead);
      },
    });
    progress.finish(totalBytes, ratingsRead);
    const records = parsed.map((file) => fileRecord(file.fileId, inputs.ratingFiles[file.fileId], file, file.counts));
    const suspects = mergeSuspects(parsed);

    let titlesEncoding: 'latin1' | 'utf8' | null = null;
    if (inputs.titles) {
      const titleAppender = await connection.createAppender('stg_title');
      const titlesId = records.length;
      const titles = await loadTitles(inputs.titles, options.titlesEncoding ?? 'auto', titleAppender, {
        reject: (lineNumber, reason, raw) => loader.appendReject(titlesId, lineNumber, reason, raw),
      });
      titleAppender.closeSync();
      titlesEncoding = titles.encoding;
      records.push(fileRecord(titlesId, inputs.titles, titles, titles.counts));
    }
    loader.close();
    for (const record of records) await insertFile(connection, record);
    await insertMovieRatings(connection, parsed);
    since = lap('parse', since);

    // quality gate: rejects of rating lines (duplicates aside) against all non-blank rating lines
    const ratingRecords = records.slice(0, inputs.ratingFiles.length);
    const nonBlank = ratingRecords.reduce((sum, r) => sum + r.lines - r.blankLines, 0);
    const ratingRejects = ratingRecords.reduce((sum, r) => sum + r.rejected, 0);
    const maxRate = options.maxRejectRate ?? 0.01;
    if (nonBlank > 0 && ratingRejects / nonBlank > maxRate) {
      const byReason = Object.fromEntries([...loader.rejectsByReason].filter(([reason]) => reason !== 'bad_movie_line' && reason !== 'duplicate_movie'));
      const examples = (await connection.runAndReadAll(loadSql('duckdb', '03_reject_examples'))).getRowObjectsJson();
      const exampleText = examples.map((e) => `${e.path}:${e.line_number} ${e.reason} ${JSON.stringify(e.raw_line)}`).join('; ');
      throw new QualityError(
        `${ratingRejects} of ${nonBlank} rating lines rejected (${((ratingRejects / nonBlank) * 100).toFixed(2)}% > --max-reject-rate ${maxRate}): ` +
          `${Object.entries(byReason).map(([reason, n]) => `${reason} ${n}`).join(', ')}; first: ${exampleText}. ` +
          `Nothing was written; fix the input or raise --max-reject-rate`,
        {rejected: ratingRejects, nonBlankLines: nonBlank, byReason, examples},
      );
    }

    // the duplicate rule, over the suspect movies' ratings alone (clean data has none)
    since = performance.now();
    let duplicates = 0;
    if (suspects.size > 0) {
      await connection.run(`INSERT INTO stg_suspect_movie SELECT unnest(${JSON.stringify([...suspects])}::INTEGER[])`);
      await stageSuspectRatings(connection, inputs.ratingFiles, parsed, suspects, threads);
      atomic.throwIfInterrupted();
      await stage('10_duplicates');
      const rejectAppender = await connection.createAppender('stg_reject');
      duplicates = await rejectDuplicates(connection, inputs.ratingFiles, rejectAppender);
      rejectAppender.closeSync();
      if (duplicates > 0) loader.rejectsByReason.set('duplicate', duplicates);
    }
    since = lap('duplicates', since);

    // the star schema, in SQL
    await checkDateBounds(connection, options);
    stages.dim_movie = await stage('20_dim_movie');
    stages.dim_customer = await stage('30_dim_customer');
    stages.dim_date = await stage('40_dim_date', {date_from: dateLiteral(options.dateFrom), date_to: dateLiteral(options.dateTo)});
    stages.fact_ratings = await stage('50_fact_ratings');
    stages.aggregates = 0;
    for (const name of AGGREGATE_STAGES) stages.aggregates += await stage(name);
    stages.rejects = await stage('60_rejects');
    const runId = randomUUID();
    stages.lineage = await stage('70_lineage', {run_id: `'${runId}'`});
    stages.views = await stage('80_views');
    since = performance.now();
    const accounts = await checkLineAccounting(connection);
    since = lap('accounting', since);

    const tables = {
      dim_date: await count(connection, 'dim_date'),
      dim_movie: await count(connection, 'dim_movie'),
      dim_customer: await count(connection, 'dim_customer'),
      fact_ratings: await count(connection, 'fact_ratings'),
      rejects: await count(connection, 'rejects'),
    };
    const moviesWithoutTitle = await count(connection, 'dim_movie WHERE title IS NULL');
    const range = (await connection.runAndReadAll('SELECT min(date_actual)::VARCHAR, max(date_actual)::VARCHAR FROM dim_date')).getRows()[0];
    await stage('99_drop_staging');
    const seconds = (performance.now() - clock) / 1000;
    await connection.run(loadSql('duckdb', '71_etl_run_insert'), [
      runId,
      started.toISOString(),
      new Date().toISOString(),
      nfxVersion(),
      'success',
      dataDir,
      inputs.ratingFiles.length,
      records.reduce((sum, r) => sum + r.lines, 0),
      tables.fact_ratings,
      tables.rejects,
      duplicates,
      tables.dim_movie,
      tables.dim_customer,
      Number(seconds.toFixed(3)),
    ]);
    await connection.run('CHECKPOINT');
    atomic.throwIfInterrupted();
    handle.close();
    since = lap('checkpoint', since);
    // again: a writer may have opened --db while this run was building
    await checkReplaceable(db);
    await atomic.commit();

    const accountByPath = new Map(accounts.map((a) => [a.path, a]));
    const rejectsByReason = Object.fromEntries(ALL_REJECT_REASONS.map((reason) => [reason, loader.rejectsByReason.get(reason) ?? 0]));
    const total = (performance.now() - clock) / 1000;
    return {
      db,
      dataDir,
      runId,
      nfxVersion: nfxVersion(),
      tables,
      rejectsByReason,
      moviesWithoutTitle,
      dateRange: {from: (range[0] as string | null) ?? null, to: (range[1] as string | null) ?? null},
      files: records.map(({fileId: _fileId, ...record}) => ({
        ...record,
        accepted: accountByPath.get(record.path)?.accepted ?? record.accepted,
        rejected: accountByPath.get(record.path)?.rejected ?? record.rejected,
      })),
      titlesEncoding,
      ignoredFiles: inputs.ignored,
      stages,
      seconds: Number(total.toFixed(3)),
      ratingsPerSecond: Math.round(ratingsRead / total),
    };
  } catch (err) {
    pool.close();
    try {
      handle.close();
    } catch {
      // already closed
    }
    await atomic.discard();
    // whatever failed after Ctrl-C (DuckDB's interrupted query, say) failed because of it
    atomic.throwIfInterrupted();
    if (isDiskFull(err)) throw transformDiskFull(db, inputs.ratingFiles);
    throw err;
  }
}

/** Measured: a transform's files peak at ~0.7x the uncompressed rating files (1M ratings: 13.7 MB for 20.6 MB); gzip packs them ~4x. */
const PEAK_DISK_PER_INPUT_BYTE = 0.7;
const GZIP_RATIO = 4;

function transformDiskFull(db: string, ratingFiles: InputFile[]): UserError {
  const inputBytes = ratingFiles.reduce((sum, f) => sum + f.bytes * (f.gzip ? GZIP_RATIO : 1), 0);
  return diskFullError({
    dir: dirname(db),
    writing: 'the warehouse',
    needs: {bytes: inputBytes * PEAK_DISK_PER_INPUT_BYTE, basis: 'about 0.7 times the uncompressed rating files, while it runs'},
    kept: `${existsSync(db) ? `${db} is as it was` : 'no warehouse was written'} and the temporary files are removed.`,
    flag: '--db',
  });
}

/** --date-from / --date-to may widen dim_date, never cut ratings off from their date. */
async function checkDateBounds(connection: DuckDBConnection, options: TransformOptions): Promise<void> {
  if (!options.dateFrom && !options.dateTo) return;
  const [min, max] = (await connection.runAndReadAll(loadSql('duckdb', '12_rating_date_range'))).getRows()[0] as (string | null)[];
  if (min === null || max === null) return;
  if (options.dateFrom && options.dateFrom > min) {
    throw new UserError(`--date-from ${options.dateFrom} is after the first rating date ${min}; dim_date must cover every rating (use ${min} or earlier)`);
  }
  if (options.dateTo && options.dateTo < max) {
    throw new UserError(`--date-to ${options.dateTo} is before the last rating date ${max}; dim_date must cover every rating (use ${max} or later)`);
  }
}

