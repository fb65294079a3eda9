import type {InputFile} from './discover.js';
import {RatingFileParser, type LineCounts, type RatingBatch} from './parse.js';
import {readInput} from './read.js';
import type {RatingRejectReason} from './reasons.js';
import {RunRanker} from './rank.js';

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

/** Reads and parses one rating file, ranking customers within movie runs and finding duplicate suspects on the way. */
export async function parseRatingFile(fileId: number, file: InputFile, sink: ParsedFileSink): Promise<ParsedFile> {
  const ranker = new RunRanker((batch) => sink.send(batch));
  let rejects: RejectRecord[] = [];
  const parser = new RatingFileParser(
    {
      ratings(batch) {
        ranker.add(batch);
        return sink.emptyBatch();
      },
      reject(lineNumber, reason, rawLine) {
        rejects.push([lineNumber, reason, rawLine]);
        if (rejects.length >= REJECTS_PER_MESSAGE) {
          sink.rejects(rejects);
          rejects = [];
        }
      },
    },
    fileId,
    sink.emptyBatch(),
  );
  const read = await readInput(
    file,
    async (chunk) => {
      parser.push(chunk);
      await sink.ready();
    },
    (bytes) => sink.progress(bytes),
  );
  const counts = parser.end();
  const runs = ranker.finish();
  if (rejects.length > 0) sink.rejects(rejects);
  return {fileId, counts, sha256: read.sha256, bytes: read.bytes, ...runs};
}
