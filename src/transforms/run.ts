import {randomUUID} from 'node:crypto';
import {availableParallelism} from 'node:os';
import {resolve} from 'node:path';
import type {DuckDBConnection} from '@duckdb/node-api';
import type {DuckDBHandle} from '../duckdb.js';
import type {FileAccount} from './account.js';
import type {AtomicFile} from './atomic.js';
import type {InputFile, Inputs, PairInput} from './discover.js';
import type {StagingLoader} from './load.js';
import type {ParsedFile} from './parse-file.js';
import type {FirstDateScan} from './first-date-scan.js';
import type {ParsePool} from './parse-pool.js';
import {runStage} from './star.js';
import type {StoredWarehouse} from './stored.js';
import type {TitlesEncoding} from './titles.js';

export interface TransformOptions {
  dataDir: string;
  db: string;
  threads?: number;
  memoryLimit?: string;
  maxRejectRate?: number;
  titlesEncoding?: TitlesEncoding;
  dateFrom?: string;
  dateTo?: string;
  /** Add the new files of --data to the existing warehouse --db (SPEC 4) instead of building a new one. */
  append?: boolean;
}

/** An input file an append left out because a file with the same bytes is already loaded (SPEC 4). */
export interface SkippedFile {
  path: string;
  sha256: string;
  /** The loaded file it equals (the same path, or another path with the same bytes). */
  loadedAs: string;
}

/** What an input file holds (source_file.kind). */
export type FileKind = 'ratings' | 'titles' | 'probe' | 'qualifying';

export interface SourceFileSummary {
  path: string;
  kind: FileKind;
  bytes: number;
  sha256: string;
  lines: number;
  blankLines: number;
  headers: number;
  accepted: number;
  rejected: number;
}

export interface TransformSummary {
  mode: 'full' | 'append';
  db: string;
  dataDir: string;
  runId: string;
  nfxVersion: string;
  tables: {dim_date: number; dim_movie: number; dim_customer: number; fact_ratings: number; fact_qualifying: number; rejects: number};
  /** Ratings flagged is_probe (the accepted lines of probe.txt); 0 without the file. */
  probeRatings: number;
  rejectsByReason: Record<string, number>;
  moviesWithoutTitle: number;
  dateRange: {from: string | null; to: string | null};
  files: SourceFileSummary[];
  titlesEncoding: 'latin1' | 'utf8' | null;
  /** append: loaded probe or qualifying files read again to decide their rejected lines against the grown warehouse. */
  decidedAgain: SourceFileSummary[];
  /** append: files already loaded, left out. */
  skippedFiles: SkippedFile[];
  /** append: known movies whose title or year the titles file changed (type 1 overwrite). */
  titlesChanged: number;
  /** append: stored ratings beaten by a new occurrence (they keep their rating_key, the new date and rating). */
  storedRatingsReplaced: number;
  /**
   * append: what was read again of the loaded rating files for the lines of the stored ratings a new one ties
   * or beats: movie blocks read at their offsets (and their bytes), files hashed whole to check them, and files
   * read whole (no blocks kept).
   */
  storedReread: StoredReread;
  stages: Record<string, number>;
  seconds: number;
  ratingsPerSecond: number;
}

export interface StoredReread {
  blocks: number;
  blockBytes: number;
  /** files read by blocks whose mtime had changed since they were loaded, so hashed whole to check their bytes */
  hashedFiles: number;
  wholeFiles: number;
}

/** One input file as staged in stg_file: its position in sorted path order, and the parser's counts. */
export interface FileRecord extends SourceFileSummary {
  fileId: number;
  /** An append's second read of a loaded probe or qualifying file (not a file of this run). */
  reread?: boolean;
}

/** What the publish stage read from the finished warehouse, for the summary. */
export interface PublishedCounts {
  tables: TransformSummary['tables'];
  probeRatings: number;
  moviesWithoutTitle: number;
  dateRange: TransformSummary['dateRange'];
}

/**
 * The state of one transform run, handed from stage to stage (src/transforms/pipeline.ts lists them). Each
 * stage reads what earlier stages left here and adds its own part; the `build*` fields exist from the
 * open stage on, the rest as the stages named beside them fill them.
 */
export class TransformRun {
  readonly started = new Date();
  readonly clock = performance.now();
  readonly runId = randomUUID();
  readonly dataDir: string;
  readonly db: string;
  readonly threads: number;
  readonly mode: 'full' | 'append';
  /** Seconds per stage (and per SQL file of the star schema), as the summary reports them. */
  readonly stages: Record<string, number> = {};

  /** discover */
  inputs!: Inputs;
  /** discover (append): what the warehouse holds already, and the input files it holds that were left out. */
  stored: StoredWarehouse | null = null;
  skippedFiles: SkippedFile[] = [];
  /** open: the temporary DuckDB file that replaces --db on success, its connection and the parse threads. */
  atomic: AtomicFile | null = null;
  handle: DuckDBHandle | null = null;
  pool: ParsePool | null = null;
  /**
   * open (append): the new files are small enough to stage in memory, and their accepted lines are staged
   * with their line numbers as they are first read (stg_new_line), so the duplicate rule reads none again.
   */
  smallAppend = false;
  /** parse */
  loader!: StagingLoader;
  parsed: ParsedFile[] = [];
  records: FileRecord[] = [];
  suspects = new Set<number>();
  titlesEncoding: 'latin1' | 'utf8' | null = null;
  ratingsRead = 0;
  /** duplicates */
  duplicates = 0;
  /** append: duplicates and star SQL; the first-date scan runs from the one into the other */
  firstDateScan: FirstDateScan | null = null;
  storedRatingsReplaced = 0;
  storedReread: StoredReread = {blocks: 0, blockBytes: 0, hashedFiles: 0, wholeFiles: 0};
  titlesChanged = 0;
  /** accounting */
  accounts: FileAccount[] = [];
  /** publish */
  published!: PublishedCounts;

  constructor(readonly options: TransformOptions) {
    this.dataDir = resolve(options.dataDir);
    this.db = resolve(options.db);
    this.threads = options.threads ?? availableParallelism();
    this.mode = options.append ? 'append' : 'full';
  }

  get connection(): DuckDBConnection {
    if (!this.handle) throw new Error('the transform used DuckDB before its open stage');
    return this.handle.connection;
  }

  get build(): AtomicFile {
    if (!this.atomic) throw new Error('the transform used its build file before its open stage');
    return this.atomic;
  }

  /**
   * The files in block layout, indexed by file id: the rating files in sorted path order, then probe and
   * qualifying when present. The titles file, when there is one, takes the next id.
   */
  get lineFiles(): (InputFile | PairInput)[] {
    const {ratingFiles, probe, qualifying} = this.inputs;
    return [...ratingFiles, ...(probe ? [probe] : []), ...(qualifying ? [qualifying] : [])];
  }

  /** Throws once Ctrl-C or SIGTERM arrived. */
  checkInterrupted(): void {
    this.atomic?.throwIfInterrupted();
  }

  /** Runs one sql/duckdb file, checking for Ctrl-C before and after it; returns its seconds. */
  async sql(name: string, values: Record<string, string | number> = {}): Promise<number> {
    this.checkInterrupted();
    const seconds = await runStage(this.connection, name, values);
    this.checkInterrupted();
    return seconds;
  }

  /** Records the seconds since `since` as stage `stage`; returns now. */
  lap(stage: string, since: number): number {
    const now = performance.now();
    this.stages[stage] = Number(((now - since) / 1000).toFixed(3));
    return now;
  }

  async count(table: string): Promise<number> {
    const reader = await this.connection.runAndReadAll(`SELECT count(*) FROM ${table}`);
    return Number(reader.getRows()[0][0]);
  }

  /** After a failure: stops the parse threads, closes DuckDB and deletes the build, leaving --db as it was. */
  async abandon(): Promise<void> {
    this.pool?.close();
    await this.firstDateScan?.settled();
    try {
      this.handle?.close();
    } catch {
      // already closed
    }
    await this.atomic?.discard();
    // whatever failed after Ctrl-C (DuckDB's interrupted query, say) failed because of it
    this.atomic?.throwIfInterrupted();
  }
}

/** A named step of a transform: reads and extends the run. */
export type TransformStage = (run: TransformRun) => Promise<void>;
