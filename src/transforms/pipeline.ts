import {existsSync} from 'node:fs';
import {dirname} from 'node:path';
import {diskFullError, isDiskFull} from '../disk-space.js';
import type {UserError} from '../errors.js';
import {WITHOUT_AGGREGATES} from '../bench-reference.js';
import {nfxVersion} from '../sql.js';
import {uncompressedBytes, type InputFile} from './discover.js';
import {ALL_REJECT_REASONS} from '../reasons.js';
import {TransformRun, type FileRecord, type SourceFileSummary, type TransformOptions, type TransformStage, type TransformSummary} from './run.js';
import {accounting} from './stages/accounting.js';
import {discover} from './stages/discover.js';
import {discoverAppend} from './stages/discover-append.js';
import {duplicates} from './stages/duplicates.js';
import {duplicatesAppend} from './stages/duplicates-append.js';
import {openAppend, openBuild} from './stages/open-build.js';
import {parse} from './stages/parse.js';
import {publish} from './stages/publish.js';
import {qualityGate} from './stages/quality-gate.js';
import {starAppend} from './stages/star-append.js';
import {starSchema, starSchemaWithoutAggregates} from './stages/star-schema.js';

export type {SourceFileSummary, TransformOptions, TransformSummary} from './run.js';

/**
 * A full transform, the data's path in order: each stage is one file of src/transforms/stages and takes
 * the run context (src/transforms/run.ts) that the stages before it filled. Everything is built in a
 * temporary DuckDB file that replaces --db only in the last stage.
 */
export const FULL_TRANSFORM: readonly TransformStage[] = [
  discover, //     flags, input files, may --db be replaced
  openBuild, //    temporary DuckDB file + staging tables, parse threads
  parse, //        bytes -> typed batches -> staging tables; titles; stg_file
  qualityGate, //  --max-reject-rate over the syntax rejects
  duplicates, //   one rating per (movie, customer)
  starSchema, //   sql/duckdb: dimensions, facts, rejects, lineage, views
  accounting, //   headers + accepted + rejected = non-blank lines, per file
  publish, //      etl_run, checkpoint, rename over --db
];

/**
 * The bench's reference for the aggregate tables' cost (issue 16: the transform <= 1.05x its time without
 * them): the full transform without them, run by `npm run bench -- --aggregate-compare` (src/bench-reference.ts).
 * Never for users: the warehouse lacks SPEC 2.1's tables and the views.
 */
export const FULL_TRANSFORM_WITHOUT_AGGREGATES: readonly TransformStage[] = FULL_TRANSFORM.map((stage) => (stage === starSchema ? starSchemaWithoutAggregates : stage));

/**
 * An append (SPEC 4): the new files of --data into a copy of the warehouse --db, which replaces it in the
 * last stage. Parse, quality gate, accounting and publish are the full transform's. Probe and qualifying
 * (issue 18) plug in as their parse stages right after `parse`, and as stages after `starAppend` that apply
 * their rules against the grown warehouse (re-deciding earlier runs' probe_not_rated / unknown_* rejects).
 */
export const APPEND_TRANSFORM: readonly TransformStage[] = [
  discoverAppend, //   flags, input files; skips loaded ones, refuses changed ones
  openAppend, //       copy of --db + staging tables, parse threads
  parse, //            the new files only
  qualityGate, //      --max-reject-rate over the new files' syntax rejects
  duplicatesAppend, // one rating per (movie, customer) across stored and new rows
  starAppend, //       sql/duckdb/append: next keys, beaten ratings updated, touched aggregates
  accounting, //       every file of the warehouse, old and new
  publish, //          etl_run (mode 'append'), checkpoint, rename over --db
];

/** Runs the stages in order; a failure anywhere discards the build and leaves --db as it was. */
export async function runStages(run: TransformRun, stages: readonly TransformStage[]): Promise<void> {
  try {
    for (const stage of stages) await stage(run);
  } catch (err) {
    await run.abandon();
    if (isDiskFull(err)) throw transformDiskFull(run.db, run.inputs?.ratingFiles ?? []);
    throw err;
  }
}

/** Measured: a transform's files peak at ~0.7x the uncompressed rating files (1M ratings: 13.7 MB for 20.6 MB). */
const PEAK_DISK_PER_INPUT_BYTE = 0.7;

function transformDiskFull(db: string, ratingFiles: readonly InputFile[]): UserError {
  const inputBytes = uncompressedBytes(ratingFiles);
  return diskFullError({
    dir: dirname(db),
    writing: 'the warehouse',
    needs: {bytes: inputBytes * PEAK_DISK_PER_INPUT_BYTE, basis: 'about 0.7 times the uncompressed rating files, while it runs'},
    kept: `${existsSync(db) ? `${db} is as it was` : 'no warehouse was written'} and the temporary files are removed.`,
    flag: '--db',
  });
}

export async function runTransform(options: TransformOptions): Promise<TransformSummary> {
  const run = new TransformRun(options);
  await runStages(run, run.mode === 'append' ? APPEND_TRANSFORM : WITHOUT_AGGREGATES ? FULL_TRANSFORM_WITHOUT_AGGREGATES : FULL_TRANSFORM);
  return summarize(run);
}

/** The typed result of a finished run, as `--json` prints it. */
export function summarize(run: TransformRun): TransformSummary {
  const accountByPath = new Map(run.accounts.map((a) => [a.path, a]));
  const accounted = ({fileId: _fileId, reread: _reread, ...record}: FileRecord): SourceFileSummary => ({
    ...record,
    accepted: accountByPath.get(record.path)?.accepted ?? record.accepted,
    rejected: accountByPath.get(record.path)?.rejected ?? record.rejected,
  });
  const rejectsByReason = Object.fromEntries(ALL_REJECT_REASONS.map((reason) => [reason, run.loader.rejectsByReason.get(reason) ?? 0]));
  const total = (performance.now() - run.clock) / 1000;
  return {
    mode: run.mode,
    db: run.db,
    dataDir: run.dataDir,
    runId: run.runId,
    nfxVersion: nfxVersion(),
    tables: run.published.tables,
    probeRatings: run.published.probeRatings,
    rejectsByReason,
    moviesWithoutTitle: run.published.moviesWithoutTitle,
    dateRange: run.published.dateRange,
    files: run.records.filter((r) => !r.reread).map(accounted),
    decidedAgain: run.records.filter((r) => r.reread).map(accounted),
    titlesEncoding: run.titlesEncoding,
    skippedFiles: run.skippedFiles,
    titlesChanged: run.titlesChanged,
    storedRatingsReplaced: run.storedRatingsReplaced,
    storedReread: run.storedReread,
    stages: run.stages,
    seconds: Number(total.toFixed(3)),
    ratingsPerSecond: Math.round(run.ratingsRead / total),
  };
}
