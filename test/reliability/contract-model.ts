/**
 * A reference model of the data contract (SPEC 1.1-1.3), written straight from its sentences with strings and
 * regular expressions, to check the real transform against on any input the fuzz tests make up:
 *
 *   const model = modelDataSet([{path: 'combined_data_1.txt', bytes}], {path: 'movie_titles.csv', bytes});
 *   model.files[0]   // {path, lines, blankLines, headers, accepted, rejects: [{lineNumber, reason, rawLine}]}
 *   model.facts      // [movie_id, customer_id, rating, 'YYYY-MM-DD'] sorted by (movie, customer)
 *
 * It shares no code with src/transforms: lines are split on LF here, one CR before it is a line ending,
 * spaces and tabs around a line are ignored, and every other rule is one line below.
 */
export interface ModelReject {
  lineNumber: number;
  reason: string;
  rawLine: string;
}

export interface ModelFile {
  path: string;
  lines: number;
  blankLines: number;
  headers: number;
  accepted: number;
  rejects: ModelReject[];
  /** Every valid rating line, before the duplicate rule: what the parser accepts. */
  ratingLines: {lineNumber: number; fact: ModelFact}[];
}

export type ModelFact = [movieId: number, customerId: number, rating: number, date: string];

export interface ModelDataSet {
  files: ModelFile[];
  facts: ModelFact[];
  /** [movie_id, title, release_year] of every movie, sorted by id: titled ones and rated ones. */
  movies: [number, string | null, number | null][];
}

export interface InputBytes {
  path: string;
  bytes: Buffer;
}

/** The lines of a file: split on LF; a last line without LF counts, an empty remainder after the last LF does not. */
export function splitLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let lf = bytes.indexOf(10); lf >= 0; lf = bytes.indexOf(10, start)) {
    lines.push(bytes.subarray(start, lf));
    start = lf + 1;
  }
  if (start < bytes.length) lines.push(bytes.subarray(start));
  return lines;
}

/** The line as stored in rejects.raw_line: without its line ending (LF, or CRLF), every byte as Latin-1. */
const rawLine = (line: Buffer): string => line.toString('latin1').replace(/\r$/, '');

const MAX_INT32 = 2147483647;
const positiveInt32 = (text: string): number | null => (/^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= MAX_INT32 ? Number(text) : null);

function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return year >= 1 && monthDays !== undefined && day >= 1 && day <= monthDays;
}

interface Occurrence {
  fact: ModelFact;
  file: ModelFile;
  order: number;
  lineNumber: number;
  rawLine: string;
}

/** SPEC 1.1 for one rating file; valid rating lines go to `occurrences` for the duplicate rule. */
function modelRatingFile(input: InputBytes, order: number, occurrences: Occurrence[]): ModelFile {
  const file: ModelFile = {path: input.path, lines: 0, blankLines: 0, headers: 0, accepted: 0, rejects: [], ratingLines: []};
  let movieId: number | null = null;
  for (const line of splitLines(input.bytes)) {
    const lineNumber = ++file.lines;
    const raw = rawLine(line);
    const text = raw.replace(/^[ \t]+|[ \t]+$/g, '');
    const reject = (reason: string) => file.rejects.push({lineNumber, reason, rawLine: raw});
    if (text === '') {
      file.blankLines++;
    } else if (text.endsWith(':')) {
      movieId = positiveInt32(text.slice(0, -1));
      if (movieId === null) reject('bad_movie_header');
      else file.headers++;
    } else if (movieId === null) {
      reject('no_movie_header');
    } else {
      const fields = text.split(',');
      if (fields.length !== 3) reject('malformed_line');
      else if (positiveInt32(fields[0]) === null) reject('bad_customer_id');
      else if (!/^[1-5]$/.test(fields[1])) reject('bad_rating');
      else if (!isCalendarDate(fields[2])) reject('bad_date');
      else {
        const fact: ModelFact = [movieId, positiveInt32(fields[0])!, Number(fields[1]), fields[2]];
        file.ratingLines.push({lineNumber, fact});
        occurrences.push({fact, file, order, lineNumber, rawLine: raw});
      }
    }
  }
  return file;
}

/** SPEC 1.1 duplicates: per (movie, customer) the latest date wins, then the later file, then the later line. */
function applyDuplicateRule(occurrences: Occurrence[]): ModelFact[] {
  const winners = new Map<string, Occurrence>();
  const later = (a: Occurrence, b: Occurrence): boolean =>
    a.fact[3] !== b.fact[3] ? a.fact[3] > b.fact[3] : a.order !== b.order ? a.order > b.order : a.lineNumber > b.lineNumber;
  const losers: Occurrence[] = [];
  for (const occurrence of occurrences) {
    const key = `${occurrence.fact[0]}:${occurrence.fact[1]}`;
    const winner = winners.get(key);
    if (!winner) winners.set(key, occurrence);
    else if (later(occurrence, winner)) {
      losers.push(winner);
      winners.set(key, occurrence);
    } else losers.push(occurrence);
  }
  for (const loser of losers) loser.file.rejects.push({lineNumber: loser.lineNumber, reason: 'duplicate', rawLine: loser.rawLine});
  for (const winner of winners.values()) winner.file.accepted++;
  return [...winners.values()].map((w) => w.fact).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/** SPEC 1.2 for the titles file: `auto` encoding, split on the first two commas, bad lines and repeated ids rejected. */
function modelTitles(input: InputBytes, titles: Map<number, [string, number | null]>): ModelFile {
  let utf8 = true;
  try {
    new TextDecoder('utf-8', {fatal: true}).decode(input.bytes);
  } catch {
    utf8 = false;
  }
  const file: ModelFile = {path: input.path, lines: 0, blankLines: 0, headers: 0, accepted: 0, rejects: [], ratingLines: []};
  for (const line of splitLines(input.bytes)) {
    const lineNumber = ++file.lines;
    const text = line.toString(utf8 ? 'utf8' : 'latin1').replace(/^[ \t]+|[ \t\r]+$/g, '');
    const reject = (reason: string) => file.rejects.push({lineNumber, reason, rawLine: rawLine(line)});
    const [id, year, ...title] = text.split(',');
    if (text === '') file.blankLines++;
    else if (title.length === 0 || positiveInt32(id) === null || !/^(\d{4}|NULL|)$/.test(year)) reject('bad_movie_line');
    else if (titles.has(Number(id))) reject('duplicate_movie');
    else {
      titles.set(Number(id), [title.join(',').replace(/^[ \t]+/, ''), /^\d{4}$/.test(year) ? Number(year) : null]);
      file.accepted++;
    }
  }
  return file;
}

/** What a correct transform of these files stores: per file accounting and rejects, the facts and the movies. */
export function modelDataSet(ratingFiles: InputBytes[], titlesFile?: InputBytes): ModelDataSet {
  const occurrences: Occurrence[] = [];
  const sorted = [...ratingFiles].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const files = sorted.map((input, order) => modelRatingFile(input, order, occurrences));
  const facts = applyDuplicateRule(occurrences);
  const titles = new Map<number, [string, number | null]>();
  if (titlesFile) files.push(modelTitles(titlesFile, titles));
  for (const file of files) file.rejects.sort((a, b) => a.lineNumber - b.lineNumber);
  const movieIds = new Set([...titles.keys(), ...facts.map((f) => f[0])]);
  const movies = [...movieIds].sort((a, b) => a - b).map((id): [number, string | null, number | null] => [id, ...(titles.get(id) ?? [null, null])]);
  return {files, facts, movies};
}
