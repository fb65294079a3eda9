import {join} from 'node:path';
import {dayToIso} from './dates.js';
import type {ExpectedBuilder, RejectReason} from './expected.js';
import type {GeneratedFile} from './generate.js';
import {byMovie, type Pair, type PairSampler} from './pairs.js';
import type {RatingFileWriter} from './writer.js';

/** A customer id that no generated customer has (they lie in 1..2,649,429, as the real ones). */
const UNKNOWN_CUSTOMER_ID = 2649430;

interface PairFilesContext {
  out: string;
  gzip: boolean;
  dirty: boolean;
  movies: number;
  customerIds: Uint32Array;
  writer: RatingFileWriter;
  expected: ExpectedBuilder;
  pairs: PairSampler;
}

/** The movie with the most pairs: where --dirty puts its lines (it has rows enough for every case). */
function busiest(groups: [number, Pair[]][]): number {
  let best = groups[0]?.[0] ?? -1;
  let most = 0;
  for (const [movieId, list] of groups) if (list.length > most) [best, most] = [movieId, list.length];
  return best;
}

/**
 * Writes probe.txt and qualifying.txt (SPEC 1.4) in the rating files' block layout, movies in string order as
 * in the real probe.txt. --dirty adds a line for every reject reason of SPEC 1.4, each reported to expected.json
 * with the one reason a correct transform must give it, plus legal oddities (CRLF, padding, a blank line, no
 * final newline in qualifying.txt, a second block of a movie).
 */
export async function writePairFiles(context: PairFilesContext): Promise<GeneratedFile[]> {
  return [await writeProbe(context), await writeQualifying(context)];
}

async function writeProbe(context: PairFilesContext): Promise<GeneratedFile> {
  const {out, gzip, dirty, movies, customerIds, writer, expected, pairs} = context;
  const path = `probe.txt${gzip ? '.gz' : ''}`;
  const probe = pairs.probe();
  const groups = byMovie(probe);
  const dirtyMovie = dirty ? busiest(groups) : -1;
  const reject = async (text: string, reason: RejectReason): Promise<void> => expected.reject(path, await writer.text(text, 'rejected'), reason);
  await writer.open(join(out, path), gzip);
  if (dirty) {
    await reject('123', 'no_movie_header');
    await writer.text('', 'blank');
  }
  for (const [g, [movieId, list]] of groups.entries()) {
    if (dirty && g === 0) await writer.text(`${movieId}:`, 'header', '\r\n');
    else if (dirty && g === 1) await writer.text(`  ${movieId}:\t`, 'header');
    else await writer.header(movieId);
    for (const [i, pair] of list.entries()) {
      const customerId = customerIds[pair.customer];
      if (movieId !== dirtyMovie) {
        await writer.text(String(customerId), 'rating');
        continue;
      }
      if (i === 1) await writer.text(` ${customerId}\t`, 'rating', '\r\n');
      else await writer.text(String(customerId), 'rating');
      if (i > 0) continue;
      await reject(String(customerId), 'duplicate');
      await reject(`${customerId},3`, 'malformed_line');
      await reject('0', 'bad_customer_id');
      await reject('abc', 'bad_customer_id');
      await reject('2147483648', 'bad_customer_id');
      await reject(String(UNKNOWN_CUSTOMER_ID), 'probe_not_rated');
      await writer.text('\t', 'blank');
    }
  }
  if (dirty) {
    await reject('x1:', 'bad_movie_header');
    await reject('77', 'no_movie_header');
    const unrated = pairs.qualifying[0];
    if (unrated) {
      await writer.header(unrated.movieId);
      await reject(String(customerIds[unrated.customer]), 'probe_not_rated');
    }
    await writer.header(movies + 500);
    await reject(String(customerIds[0]), 'probe_not_rated');
  }
  const bytes = await writer.close();
  expected.pairFile(path, writer.counts, {probe_ratings: probe.length});
  return {path, bytes, lines: writer.counts.lines};
}

async function writeQualifying(context: PairFilesContext): Promise<GeneratedFile> {
  const {out, gzip, dirty, movies, customerIds, writer, expected, pairs} = context;
  const path = `qualifying.txt${gzip ? '.gz' : ''}`;
  const groups = byMovie(pairs.qualifying);
  const dirtyMovie = dirty ? busiest(groups) : -1;
  const reject = async (text: string, reason: RejectReason): Promise<void> => expected.reject(path, await writer.text(text, 'rejected'), reason);
  let minDay = Infinity;
  let maxDay = -Infinity;
  await writer.open(join(out, path), gzip);
  if (dirty) {
    await writer.text('', 'blank');
    await reject(`${customerIds[0]},2005-01-01`, 'no_movie_header');
  }
  for (const [g, [movieId, list]] of groups.entries()) {
    if (dirty && g === 0) await writer.text(`${movieId}:`, 'header', '\r\n');
    else await writer.header(movieId);
    for (const [i, pair] of list.entries()) {
      const customerId = customerIds[pair.customer];
      const line = `${customerId},${dayToIso(pair.day)}`;
      minDay = Math.min(minDay, pair.day);
      maxDay = Math.max(maxDay, pair.day);
      if (movieId !== dirtyMovie) {
        await writer.text(line, 'rating');
        continue;
      }
      if (i === 0) {
        await writer.text(line, 'rating');
        // an earlier date after the kept line: the later date wins
        await reject(`${customerId},${dayToIso(pair.day - 5)}`, 'duplicate');
        await reject(String(customerId), 'malformed_line');
        await reject(`${customerId},2005-01-01,3`, 'malformed_line');
        await reject('0,2005-01-01', 'bad_customer_id');
        await reject('x,2005-01-01', 'bad_customer_id');
        await reject(`${customerId},2005-02-30`, 'bad_date');
        await reject(`${customerId},05-01-01`, 'bad_date');
        await reject(`${UNKNOWN_CUSTOMER_ID},2005-10-10`, 'unknown_customer');
      } else if (i === 1) {
        // the same date twice: the later line wins
        await reject(line, 'duplicate');
        await writer.text(line, 'rating');
      } else if (i === 2) {
        // beaten by a later date in a second block of this movie at the end of the file
        await reject(`${customerId},${dayToIso(pair.day - 10)}`, 'duplicate');
      } else {
        await writer.text(`\t${line} `, 'rating', i === 3 ? '\r\n' : '\n');
      }
    }
  }
  if (dirty) {
    const beaten = groups.find(([movieId]) => movieId === dirtyMovie)?.[1][2];
    if (beaten) {
      await writer.header(dirtyMovie);
      await writer.text(`${customerIds[beaten.customer]},${dayToIso(beaten.day)}`, 'rating');
    }
    await writer.header(movies + 500);
    await reject(`${customerIds[0]},2005-06-01`, 'unknown_movie');
  }
  const bytes = await writer.close(!dirty);
  expected.pairFile(path, writer.counts, {
    fact_qualifying: pairs.qualifying.length,
    qualifying_min_date: Number.isFinite(minDay) ? dayToIso(minDay) : null,
    qualifying_max_date: Number.isFinite(maxDay) ? dayToIso(maxDay) : null,
  });
  return {path, bytes, lines: writer.counts.lines};
}
