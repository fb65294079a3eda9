import {open, stat} from 'node:fs/promises';
import type {DuckDBConnection} from '@duckdb/node-api';
import {hasTable} from '../duckdb.js';
import {UserError} from '../errors.js';
import {handled} from '../promises.js';
import {loadSql} from '../sql.js';
import type {RatingInput} from './discover.js';
import type {SuspectStager} from './duplicates.js';
import {RatingBatch, RatingFileParser} from './parse.js';
import {keepRows, pairMap} from './parse-file.js';
import {sha256File} from './read.js';

/** A loaded rating file to read the lines of some stored ratings from: its file id in stg_origin_file and its sha256 when loaded. */
export interface StoredRead {
  fileId: number;
  file: RatingInput;
  sha256: string;
}

/** What stageStoredBlocks read. */
export interface StoredBlocksRead {
  /** The files without blocks, for the caller to read whole. */
  whole: StoredRead[];
  /** The raw text (Latin-1, without its CR) of every staged line of the files read by blocks, by file id, then line number. */
  lines: Map<number, Map<number, string>>;
  /** The blocks read, their bytes, and the files hashed because their mtime changed. */
  blocks: number;
  blockBytes: number;
  hashed: number;
}

/** A movie block of a file: its header's byte offset and line number, and where the next block starts. */
export interface Block {
  movieId: number;
  offset: number;
  line: number;
  end: number;
}

/**
 * Reads the lines of the given stored (movie_id, customer_id) pairs from the loaded rating files, block by
 * block: nfx_movie_block says where each movie's block of each file starts (byte offset and line number), so
 * only the blocks of those movies are read and parsed, with their true line numbers, into stg_suspect_rating,
 * and the raw text of the staged lines is kept for the rejects of the beaten ones (reject-lines.ts).
 * At 100M ratings, reading every loaded file again cost an append ~10 CPU-s where the blocks of the movies
 * with a beaten stored rating are a few percent of the bytes.
 *
 * A file without blocks (gzip, whose offsets are in the uncompressed bytes, or loaded by an nfx that kept no
 * blocks) is not read: it is returned, for the caller to read whole. A file read by blocks must hold the bytes
 * it was loaded with, or its lines may not be where the blocks say: one with the size and modification time it
 * had when loaded is trusted to (the quick check of rsync and make; the caller found it by its size), any other
 * is hashed whole beside and its sha256 must be the loaded one (a file changed in place is an error, never a
 * silently different line; hashing costs a fifth of parsing it). Each block must start with its movie's header.
 */
export async function stageStoredBlocks(connection: DuckDBConnection, reads: StoredRead[], pairs: [number, number][], stager: SuspectStager): Promise<StoredBlocksRead> {
  const customers = pairMap(pairs);
  const result: StoredBlocksRead = {whole: [], lines: new Map(), blocks: 0, blockBytes: 0, hashed: 0};
  const hashes: Promise<void>[] = [];
  const kept = await hasTable(connection, 'nfx_movie_block');
  try {
    for (const stored of reads) {
      const file = stored.file.gzip || !kept ? null : await blocksOf(connection, stored, customers);
      if (file === null) result.whole.push(stored);
      else {
        if ((await stat(stored.file.path)).mtimeMs !== file.mtimeMs) {
          hashes.push(handled(sameBytes(stored)));
          result.hashed++;
        }
        const lines = new Map<number, string>();
        await readBlocks(stored, file.blocks, customers, stager, lines);
        result.lines.set(stored.fileId, lines);
        result.blocks += file.blocks.length;
        result.blockBytes += file.blocks.reduce((sum, block) => sum + block.end - block.offset, 0);
      }
    }
  } catch (error) {
    // A file changed in place usually fails its block check before its hash is done: the hash names the change better.
    const changed = (await Promise.allSettled(hashes)).find((result) => result.status === 'rejected');
    throw changed === undefined ? error : changed.reason;
  }
  await Promise.all(hashes);
  return result;
}

/** The file's sha256 must be the one it was loaded with: only then are its lines where the blocks say (~0.8 CPU-s per GB). */
async function sameBytes(stored: StoredRead): Promise<void> {
  const sha256 = await sha256File(stored.file.path);
  if (sha256 !== stored.sha256) {
    throw changedSinceLoaded(`${stored.file.path} has other bytes than when it was loaded (sha256 ${stored.sha256.slice(0, 12)}… now ${sha256.slice(0, 12)}…)`);
  }
}

/** The blocks of the wanted movies in the file and its mtime when loaded, or null when nfx_movie_block holds no blocks for its bytes. */
async function blocksOf(connection: DuckDBConnection, read: StoredRead, customers: Map<number, Set<number>>): Promise<{blocks: Block[]; mtimeMs: number | null} | null> {
  const rows = (await connection.runAndReadAll(loadSql('duckdb', 'append/12_stored_blocks'), [read.file.relPath, read.sha256])).getRows();
  if (rows.length === 0) return null;
  const blocks = rows
    .map(([movieId, offset, line, next]) => ({movieId: Number(movieId), offset: Number(offset), line: Number(line), end: next === null ? read.file.bytes : Number(next)}))
    .filter((block) => customers.has(block.movieId));
  return {blocks, mtimeMs: rows[0][4] === null ? null : Number(rows[0][4])};
}

/**
 * Parses the blocks into the stager, keeping the wanted pairs' rows with their true line numbers, and puts each
 * staged line's raw text in `lines` (by line number): the beaten ones become duplicate rejects with it.
 */
async function readBlocks(read: StoredRead, blocks: Block[], customers: Map<number, Set<number>>, stager: SuspectStager, lines: Map<number, string>): Promise<void> {
  const handle = await open(read.file.path, 'r');
  // one batch for every block: a batch is 2.4 MB, and allocating one per block cost 0.5 s (with its garbage
  // collection) of an append that read 94 blocks; the stager copies each batch's rows before it is refilled
  const batch = new RatingBatch();
  try {
    for (const block of blocks) {
      const bytes = Buffer.allocUnsafe(block.end - block.offset);
      const {bytesRead} = await handle.read(bytes, 0, bytes.length, block.offset);
      const staged: number[] = [];
      const parser = new RatingFileParser(
        {
          ratings(batch) {
            batch.length = keepRows(batch, (movieId, customerId) => customers.get(movieId)?.has(customerId) === true);
            for (let row = 0; row < batch.length; row++) staged.push(batch.lineRef[2 * row]);
            stager.add(batch);
            return batch;
          },
          reject() {},
        },
        read.fileId,
        batch,
        block.line,
        block.offset,
      );
      parser.push(bytes.subarray(0, bytesRead));
      parser.end();
      const [movieId, offset, line] = parser.blocks;
      if (bytesRead !== bytes.length || parser.blocks.length !== 3 || movieId !== block.movieId || offset !== block.offset || line !== block.line) {
        throw changedSinceLoaded(`${read.file.path} holds no block of movie ${block.movieId} at byte ${block.offset}, line ${block.line}, where it did when it was loaded`);
      }
      takeLines(bytes, block.line, staged, (lineNumber, start, end) => lines.set(lineNumber, latin1Line(bytes, start, end)));
    }
  } finally {
    await handle.close();
  }
}

/** Calls `take` with the byte range [start, end) (end at its LF or the buffer's end) of each wanted line (ascending numbers) of `bytes`, whose first line is `firstLine`. */
function takeLines(bytes: Buffer, firstLine: number, wanted: number[], take: (lineNumber: number, start: number, end: number) => void): void {
  let lineNumber = firstLine;
  let start = 0;
  for (let next = 0; next < wanted.length && start < bytes.length; lineNumber++) {
    let lf = bytes.indexOf(10, start);
    if (lf < 0) lf = bytes.length;
    if (lineNumber === wanted[next]) {
      take(lineNumber, start, lf);
      next++;
    }
    start = lf + 1;
  }
}

/** The line in [start, end) (end at its LF) as Latin-1, without its CR. */
export function latin1Line(bytes: Buffer, start: number, end: number): string {
  return bytes.toString('latin1', start, end > start && bytes[end - 1] === 13 ? end - 1 : end);
}

/** A loaded rating file is not as it was loaded: `what` says how. */
export function changedSinceLoaded(what: string): UserError {
  return new UserError(`${what}: a loaded rating file changed since it was loaded, and an append only adds files; put it back as it was, or run nfx transform without --append to rebuild`);
}
