import type {DuckDBAppender} from '@duckdb/node-api';
import {UserError} from '../errors.js';
import type {InputFile} from './discover.js';
import type {LineCounts} from './parse.js';
import {readInput, type ReadResult} from './read.js';
import type {TitleRejectReason} from '../reasons.js';

export type TitlesEncoding = 'auto' | 'latin1' | 'utf8';

const LF = 10;
const NUL = 0;

/** Scans the file once: is it text at all (no NUL byte), and is every byte sequence valid UTF-8? */
async function sniffTitles(file: InputFile): Promise<{utf8: boolean}> {
  const decoder = new TextDecoder('utf-8', {fatal: true});
  let utf8 = true;
  let lineNumber = 1;
  await readInput(file, (chunk) => {
    const nul = chunk.indexOf(NUL);
    if (nul >= 0) {
      for (let i = 0; i < nul; i++) if (chunk[i] === LF) lineNumber++;
      throw new UserError(`${file.relPath} is not a text file (a NUL byte on line ${lineNumber}); pass the movie_titles file of the data set`);
    }
    for (let i = 0; i < chunk.length; i++) if (chunk[i] === LF) lineNumber++;
    if (utf8) {
      try {
        decoder.decode(chunk, {stream: true});
      } catch {
        utf8 = false;
      }
    }
  });
  if (utf8) {
    try {
      decoder.decode();
    } catch {
      utf8 = false;
    }
  }
  return {utf8};
}

export interface TitleSink {
  reject(lineNumber: number, reason: TitleRejectReason, rawLine: string): void;
}

export interface TitlesResult extends ReadResult {
  counts: LineCounts;
  encoding: 'latin1' | 'utf8';
}

/**
 * Reads movie titles: `<movie_id>,<year>,<title>` split on the first two commas only, the title kept
 * verbatim (commas and quotes included, no CSV unquoting). Kept lines go to stg_title through the
 * appender; bad lines and repeated ids go to the sink as rejects.
 */
export async function loadTitles(file: InputFile, encoding: TitlesEncoding, appender: DuckDBAppender, sink: TitleSink): Promise<TitlesResult> {
  const sniff = await sniffTitles(file);
  const chosen = encoding === 'auto' ? (sniff.utf8 ? 'utf8' : 'latin1') : encoding;
  const counts: LineCounts = {lines: 0, blankLines: 0, headers: 0, accepted: 0, rejected: 0};
  const seen = new Set<number>();
  let carry: Buffer | null = null;

  const line = (bytes: Buffer): void => {
    counts.lines++;
    const raw = bytes.toString('latin1').replace(/\r$/, '');
    const text = bytes.toString(chosen).replace(/^[ \t]+|[ \t\r]+$/g, '');
    if (text === '') {
      counts.blankLines++;
      return;
    }
    const reject = (reason: TitleRejectReason): void => {
      counts.rejected++;
      sink.reject(counts.lines, reason, raw);
    };
    const first = text.indexOf(',');
    const second = first < 0 ? -1 : text.indexOf(',', first + 1);
    if (second < 0) return reject('bad_movie_line');
    const idText = text.slice(0, first);
    const yearText = text.slice(first + 1, second);
    const movieId = /^\d+$/.test(idText) ? Number(idText) : NaN;
    if (!(movieId >= 1 && movieId <= 2147483647)) return reject('bad_movie_line');
    if (!(/^\d{4}$/.test(yearText) || yearText === 'NULL' || yearText === '')) return reject('bad_movie_line');
    if (seen.has(movieId)) return reject('duplicate_movie');
    seen.add(movieId);
    appender.appendInteger(movieId);
    if (/^\d{4}$/.test(yearText)) appender.appendSmallInt(Number(yearText));
    else appender.appendNull();
    appender.appendVarchar(text.slice(second + 1).replace(/^[ \t]+/, ''));
    appender.endRow();
    counts.accepted++;
  };

  const read = await readInput(file, (chunk) => {
    let start = 0;
    let lf = chunk.indexOf(LF);
    while (lf >= 0) {
      const piece = chunk.subarray(start, lf);
      if (carry !== null) {
        line(Buffer.concat([carry, piece]));
        carry = null;
      } else {
        line(piece);
      }
      start = lf + 1;
      lf = chunk.indexOf(LF, start);
    }
    if (start < chunk.length) carry = carry === null ? Buffer.from(chunk.subarray(start)) : Buffer.concat([carry, chunk.subarray(start)]);
  });
  if (carry !== null) line(carry);
  return {...read, counts, encoding: chosen};
}
