import {statSync} from 'node:fs';
import type {DuckDBConnection} from '@duckdb/node-api';
import {loadSql} from '../sql.js';
import {duckdbIntegrity, type Integrity} from './integrity.js';
import {readRows} from './values.js';
import type {SourceFileSummary} from '../transforms/pipeline.js';

export interface TableInfo {
  name: string;
  kind: 'table' | 'view';
  /** Exact count(*). */
  rows: number;
  /** DuckDB's estimate from its catalog (null for views). */
  estimatedRows: number | null;
  /** Approximate bytes on disk: each column segment's share of its storage block (null for views). */
  bytes: number | null;
}

export interface RunInput extends SourceFileSummary {
  /** headers + accepted + rejected = lines - blankLines */
  balanced: boolean;
}

export interface LastRun {
  runId: string;
  startedAt: string;
  finishedAt: string;
  seconds: number;
  nfxVersion: string;
  status: string;
  dataDir: string;
  ratingFiles: number;
  linesRead: number;
  ratingsLoaded: number;
  rejected: number;
  duplicates: number;
  movies: number;
  customers: number;
  inputs: RunInput[];
}

export interface RejectExample {
  sourceFile: string;
  lineNumber: number;
  rawLine: string;
}

export interface RejectReasonCount {
  reason: string;
  rejects: number;
  /** The first three rejected lines with this reason, in file and line order. */
  examples: RejectExample[];
}

export interface WarehouseInspection {
  db: string;
  file: {bytes: number; blockSize: number; totalBlocks: number; usedBlocks: number; freeBlocks: number; walSize: string};
  tables: TableInfo[];
  dates: {firstRating: string | null; lastRating: string | null; ratingDays: number; calendarFrom: string | null; calendarTo: string | null};
  /** The transform that built the file (the latest in etl_run); runs counts every run the file records. */
  lastRun: LastRun | null;
  runs: number;
  quality: {
    rejects: number;
    byReason: RejectReasonCount[];
    duplicatesDropped: number;
    moviesWithoutTitle: number;
    /** Ratings flagged is_probe (the probe set) and rows of fact_qualifying. */
    probeRatings: number;
    qualifyingPairs: number;
  };
  /** Range and referential checks (all but the view row counts are 0 in a sound file). */
  integrity: Integrity;
}


/** Everything `nfx inspect` reports about a warehouse, read with the SQL files in sql/duckdb/inspect. */
export async function inspectWarehouse(connection: DuckDBConnection, db: string): Promise<WarehouseInspection> {
  const query = <T>(name: string, params?: Record<string, string>) => readRows<T>(connection, loadSql('duckdb', `inspect/${name}`), params);

  const [database] = await query<DatabaseRow>('database');
  const tables = await query<TableRow>('tables');
  const [dates] = await query<DateRangeRow>('date-range');
  const [run] = await query<LastRunRow>('last-run');
  const inputs = run ? await query<RunInputRow>('run-inputs', {run_id: run.run_id}) : [];
  const byReason = await query<RejectReasonRow>('rejects-by-reason');
  const [quality] = await query<QualityRow>('quality');
  const integrity = await duckdbIntegrity(connection);
  // the views are counted once, by the integrity checks
  const viewRows: Record<string, number> = {v_daily_rating_summary: integrity.dailySummaryRows, v_movie_performance: integrity.moviePerformanceRows};

  return {
    db,
    file: {
      bytes: statSync(db).size,
      blockSize: database.block_size,
      totalBlocks: database.total_blocks,
      usedBlocks: database.used_blocks,
      freeBlocks: database.free_blocks,
      walSize: database.wal_size,
    },
    tables: tables.map((t) => ({name: t.name, kind: t.kind, rows: t.rows ?? viewRows[t.name] ?? 0, estimatedRows: t.estimated_rows, bytes: t.bytes})),
    dates: {
      firstRating: dates.first_rating,
      lastRating: dates.last_rating,
      ratingDays: dates.rating_days,
      calendarFrom: dates.calendar_from,
      calendarTo: dates.calendar_to,
    },
    lastRun: run
      ? {
          runId: run.run_id,
          startedAt: run.started_at,
          finishedAt: run.finished_at,
          seconds: run.seconds,
          nfxVersion: run.nfx_version,
          status: run.status,
          dataDir: run.data_dir,
          ratingFiles: run.rating_files,
          linesRead: run.lines_read,
          ratingsLoaded: run.ratings_loaded,
          rejected: run.rejected,
          duplicates: run.duplicates,
          movies: run.movies,
          customers: run.customers,
          inputs: inputs.map((i) => ({
            path: i.path,
            kind: i.kind,
            bytes: i.bytes,
            sha256: i.sha256,
            lines: i.lines,
            blankLines: i.blank_lines,
            headers: i.headers,
            accepted: i.accepted,
            rejected: i.rejected,
            balanced: i.balanced,
          })),
        }
      : null,
    runs: run?.runs ?? 0,
    quality: {
      rejects: quality.rejects,
      byReason: byReason.map((r) => ({
        reason: r.reason,
        rejects: r.rejects,
        examples: (r.examples ?? []).map((e) => ({sourceFile: e.source_file, lineNumber: e.line_number, rawLine: e.raw_line})),
      })),
      duplicatesDropped: quality.duplicates_dropped,
      moviesWithoutTitle: quality.movies_without_title,
      probeRatings: quality.probe_ratings,
      qualifyingPairs: quality.qualifying_pairs,
    },
    integrity,
  };
}

// The rows of the sql/duckdb/inspect files, column for column.
interface DatabaseRow {
  block_size: number;
  total_blocks: number;
  used_blocks: number;
  free_blocks: number;
  wal_size: string;
}
interface TableRow {
  name: string;
  kind: 'table' | 'view';
  rows: number | null;
  estimated_rows: number | null;
  bytes: number | null;
}
interface DateRangeRow {
  first_rating: string | null;
  last_rating: string | null;
  rating_days: number;
  calendar_from: string | null;
  calendar_to: string | null;
}
interface LastRunRow {
  run_id: string;
  started_at: string;
  finished_at: string;
  seconds: number;
  nfx_version: string;
  status: string;
  data_dir: string;
  rating_files: number;
  lines_read: number;
  ratings_loaded: number;
  rejected: number;
  duplicates: number;
  movies: number;
  customers: number;
  runs: number;
}
interface RunInputRow {
  path: string;
  kind: SourceFileSummary['kind'];
  bytes: number;
  sha256: string;
  lines: number;
  blank_lines: number;
  headers: number;
  accepted: number;
  rejected: number;
  balanced: boolean;
}
interface RejectReasonRow {
  reason: string;
  rejects: number;
  examples: {source_file: string; line_number: number; raw_line: string}[] | null;
}
interface QualityRow {
  rejects: number;
  duplicates_dropped: number;
  movies_without_title: number;
  probe_ratings: number;
  qualifying_pairs: number;
}
