import type {InputFile, PairInput} from './discover.js';
import {RatingFileParser, type BlockFileParser, type LineCounts, type RatingBatch} from './parse.js';
import {PairFileParser} from './parse-pairs.js';
import type {ProbeSet} from './probe-set.js';
import {readInput} from './read.js';
import type {RatingRejectReason} from '../reasons.js';
import {RunRanker} from './rank.js';
import type {FileCounts, RunCounts} from './run-counts.js';

export type RejectRecord = [lineNumber: number, reason: RatingRejectReason, rawLine: string];

/** What parsing one rating file produced besides its batches. */
export interface ParsedFile {
  fileId: number;
  counts: LineCounts;
  sha256: string;
  bytes: number;
  movies: number[];
  /** Accepted ratings per movie in this file, `movieRatings[i]` for `movies[i]`. */
  movieRatings: number[];
  suspects: number[];
  /** Its movie headers as flat (movie id, byte offset, line number) triples (BlockFileParser.blocks); rating files only. */
  blocks: number[];
  /** What the aggregate tables add up, when asked for (a full transform's rating files; see RunCounts). */
  aggregateCounts: FileCounts | null;
}

/** Where a parsed file's output goes: batches of ratings and groups of rejects, with back-pressure. */
export interface ParsedFileSink {
  /** Takes a finished batch. */
  send(batch: RatingBatch): void;
  /** An empty batch to fill. */
  emptyBatch(): RatingBatch;
  rejects(records: RejectRecord[]): void;
  /** Resolves when the consumer has caught up enough for more input to be read. */
  ready(): Promise<void>;
  progress(bytesRead: number): void;
}

const REJECTS_PER_MESSAGE = 4096;

/** Reads and parses probe.txt or qualifying.txt: batches of packed pairs (see PairFileParser) and rejects. */
export async function parsePairFile(fileId: number, file: PairInput, sink: ParsedFileSink): Promise<ParsedFile> {
  const rejects = new RejectBuffer(sink);
  const parser = new PairFileParser(
    file.kind,
    {
      ratings(batch) {
        sink.send(batch);
        return sink.emptyBatch();
      },
      reject: (lineNumber, reason, rawLine) => rejects.add(lineNumber, reason, rawLine),
    },
    sink.emptyBatch(),
  );
  const read = await parseThrough(file, parser, sink);
  rejects.flush();
  return {fileId, ...read, movies: [], movieRatings: [], suspects: [], blocks: [], aggregateCounts: null};
}

/** Rejects on their way to the sink, sent in groups. */
class RejectBuffer {
  private records: RejectRecord[] = [];

  constructor(private readonly sink: ParsedFileSink) {}

  add(lineNumber: number, reason: RatingRejectReason, rawLine: string): void {
    this.records.push([lineNumber, reason, rawLine]);
    if (this.records.length >= REJECTS_PER_MESSAGE) this.flush();
  }

  flush(): void {
    if (this.records.length > 0) this.sink.rejects(this.records);
    this.records = [];
  }
}

/**
 * Reads and parses one rating file, ranking customers within movie runs and finding duplicate suspects on the
 * way; with probe.txt's pairs, flagging is_probe; with `runCounts`, counting for the aggregate tables.
 */
export async function parseRatingFile(fileId: number, file: InputFile, sink: ParsedFileSink, probe?: ProbeSet, runCounts?: RunCounts): Promise<ParsedFile> {
  const ranker = new RunRanker((batch) => sink.send(batch), probe, runCounts);
  const rejects = new RejectBuffer(sink);
  const parser = new RatingFileParser(
    {
      ratings(batch) {
        ranker.add(batch);
        return sink.emptyBatch();
      },
      reject: (lineNumber, reason, rawLine) => rejects.add(lineNumber, reason, rawLine),
    },
    fileId,
    sink.emptyBatch(),
  );
  const read = await parseThrough(file, parser, sink);
  const runs = ranker.finish();
  rejects.flush();
  return {fileId, ...read, ...runs, blocks: parser.blocks, aggregateCounts: runCounts?.finish() ?? null};
}

/** Streams the file through the parser, with the sink's back-pressure and progress: the counts, sha256 and size. */
async function parseThrough(file: InputFile, parser: BlockFileParser, sink: ParsedFileSink): Promise<{counts: LineCounts; sha256: string; bytes: number}> {
  const read = await readInput(
    file,
    async (chunk) => {
      parser.push(chunk);
      await sink.ready();
    },
    (bytes) => sink.progress(bytes),
  );
  return {counts: parser.end(), sha256: read.sha256, bytes: read.bytes};
}

/**
 * Reads one rating file again for the duplicate rule: sends the accepted ratings of the `suspects` movies
 * only, unranked, with their line numbers (RatingBatch.lineRef). Rejects were recorded by the first read.
 * `pairs` (an append looking for stored ratings' lines) narrows that to the given customers of each movie.
 */
export async function parseSuspectRatings(
  fileId: number,
  file: InputFile,
  suspects: Set<number>,
  sink: ParsedFileSink,
  pairs?: Map<number, Set<number>>,
): Promise<ParsedFile> {
  const parser = new RatingFileParser(
    {
      ratings(batch) {
        batch.length = keepRows(batch, pairs ? (movieId, customerId) => pairs.get(movieId)?.has(customerId) === true : (movieId) => suspects.has(movieId));
        if (batch.length === 0) return batch;
        sink.send(batch);
        return sink.emptyBatch();
      },
      reject() {},
    },
    fileId,
    sink.emptyBatch(),
  );
  return {fileId, ...(await parseThrough(file, parser, sink)), movies: [], movieRatings: [], suspects: [], blocks: [], aggregateCounts: null};
}

/** Moves the rows `keep` accepts to the front of the batch (parsed columns and lineRef); returns their count. */
export function keepRows(batch: RatingBatch, keep: (movieId: number, customerId: number) => boolean): number {
  const {lineRef, movieId, customerId, dateKey, rating} = batch;
  let n = 0;
  for (let row = 0; row < batch.length; row++) {
    if (!keep(movieId[row], customerId[row])) continue;
    lineRef[2 * n] = lineRef[2 * row];
    lineRef[2 * n + 1] = lineRef[2 * row + 1];
    movieId[n] = movieId[row];
    customerId[n] = customerId[row];
    dateKey[n] = dateKey[row];
    rating[n] = rating[row];
    n++;
  }
  return n;
}

/** [movie_id, customer_id] pairs as each movie's set of customers, for `keepRows`. */
export function pairMap(pairs: [number, number][]): Map<number, Set<number>> {
  const customers = new Map<number, Set<number>>();
  for (const [movieId, customerId] of pairs) customers.set(movieId, (customers.get(movieId) ?? new Set()).add(customerId));
  return customers;
}
