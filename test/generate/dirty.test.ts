import {readdirSync, readFileSync, statSync} from 'node:fs';
import {join, relative} from 'node:path';
import {gunzipSync} from 'node:zlib';
import {beforeAll, describe, expect, test} from 'vitest';
import type {Expected, ExpectedFile, ExpectedReject, RejectReason} from '../../src/generate/expected.js';
import {generateDataSet} from '../../src/generate/generate.js';
import {resolveGenerateOptions, type GenerateFlags} from '../../src/generate/options.js';
import {setConsoleState} from '../../src/log.js';
import {tempDir} from '../helpers/tmp.js';

/**
 * A reference transform of SPEC 1.1-1.4, written to be obviously right rather than fast: it re-reads the
 * generated files and recomputes everything expected.json claims. The two share no code.
 */
type Counted = Omit<Expected, 'seed' | 'layout' | 'dirty'>;

const POSITIVE_INT = /^[1-9]\d*$/;
const isPositiveInt32 = (text: string): boolean => POSITIVE_INT.test(text) && Number(text) <= 2147483647;

function isRealDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** Lines as a transform sees them: split on LF, a last line without LF still counts, CRLF and blanks trimmed. */
function linesOf(bytes: Buffer): string[] {
  const lines = bytes.toString('latin1').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line) => line.replace(/\r$/, '').replace(/^[ \t]+|[ \t]+$/g, ''));
}

function listFiles(dir: string, root = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path, root) : [relative(root, path)];
  });
}

function referenceTransform(dir: string): Counted {
  const all = listFiles(dir);
  const ratingFiles = all.filter((p) => /(^combined_data_.*|^training_set\/mv_.*)\.txt(\.gz)?$/.test(p)).sort();
  const titlesFile = all.find((p) => /^movie_titles\.(csv|txt)$/.test(p))!;
  const files: Record<string, ExpectedFile> = {};
  const rejects: ExpectedReject[] = [];
  const occurrences = new Map<string, {file: string; fileOrder: number; line: number; rating: number; date: string}[]>();

  ratingFiles.forEach((file, fileOrder) => {
    const counts: ExpectedFile = {lines_non_blank: 0, blank_lines: 0, headers: 0, accepted: 0, rejected: 0};
    const reject = (line: number, reason: RejectReason): void => {
      rejects.push({source_file: file, line_number: line, reason});
      counts.rejected++;
    };
    let movie: number | undefined;
    const bytes = readFileSync(join(dir, file));
    linesOf(file.endsWith('.gz') ? gunzipSync(bytes) : bytes).forEach((text, i) => {
      const line = i + 1;
      if (text === '') return void counts.blank_lines++;
      counts.lines_non_blank++;
      if (text.endsWith(':')) {
        const id = text.slice(0, -1);
        if (isPositiveInt32(id)) {
          movie = Number(id);
          counts.headers++;
        } else {
          movie = undefined;
          reject(line, 'bad_movie_header');
        }
        return;
      }
      if (movie === undefined) return reject(line, 'no_movie_header');
      const fields = text.split(',');
      if (fields.length !== 3) return reject(line, 'malformed_line');
      if (!isPositiveInt32(fields[0])) return reject(line, 'bad_customer_id');
      if (!/^[1-5]$/.test(fields[1])) return reject(line, 'bad_rating');
      if (!isRealDate(fields[2])) return reject(line, 'bad_date');
      const key = `${movie}:${fields[0]}`;
      occurrences.set(key, [...(occurrences.get(key) ?? []), {file, fileOrder, line, rating: Number(fields[1]), date: fields[2]}]);
      counts.accepted++;
    });
    files[file] = counts;
  });

  // duplicates: the latest date wins, then the later file, then the later line
  const facts: {movie: number; customer: number; rating: number; date: string}[] = [];
  for (const [key, list] of occurrences) {
    const ranked = [...list].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.fileOrder - b.fileOrder || a.line - b.line));
    const winner = ranked.pop()!;
    for (const loser of ranked) {
      rejects.push({source_file: loser.file, line_number: loser.line, reason: 'duplicate'});
      files[loser.file].accepted--;
      files[loser.file].rejected++;
    }
    const [movie, customer] = key.split(':').map(Number);
    facts.push({movie, customer, rating: winner.rating, date: winner.date});
  }

  // movie titles: split on the first two commas only
  const titled = new Set<number>();
  const titleCounts: ExpectedFile = {lines_non_blank: 0, blank_lines: 0, headers: 0, accepted: 0, rejected: 0};
  linesOf(readFileSync(join(dir, titlesFile))).forEach((text, i) => {
    if (text === '') return void titleCounts.blank_lines++;
    titleCounts.lines_non_blank++;
    const [id, year] = text.split(',');
    const reason: RejectReason | undefined =
      text.split(',').length < 3 || !isPositiveInt32(id) || !/^(\d{4}|NULL|)$/.test(year)
        ? 'bad_movie_line'
        : titled.has(Number(id))
          ? 'duplicate_movie'
          : undefined;
    if (reason) {
      rejects.push({source_file: titlesFile, line_number: i + 1, reason});
      titleCounts.rejected++;
    } else {
      titled.add(Number(id));
      titleCounts.accepted++;
    }
  });
  files[titlesFile] = titleCounts;

  const rated = new Set(facts.map((f) => f.movie));
  const pairs = referencePairs(dir, all, facts, new Set([...titled, ...rated]), files, rejects);
  const dates = facts.map((f) => f.date).sort();
  const byReason = Object.fromEntries(
    [
      'bad_movie_header',
      'no_movie_header',
      'malformed_line',
      'bad_customer_id',
      'bad_rating',
      'bad_date',
      'duplicate',
      'probe_not_rated',
      'unknown_movie',
      'unknown_customer',
      'bad_movie_line',
      'duplicate_movie',
    ].map(
      (r) => [r, rejects.filter((x) => x.reason === r).length],
    ),
  ) as Record<RejectReason, number>;
  return {
    fact_ratings: facts.length,
    dim_movie: new Set([...titled, ...rated]).size,
    dim_customer: new Set(facts.map((f) => f.customer)).size,
    movies_without_title: [...rated].filter((m) => !titled.has(m)).length,
    rating_min_date: dates[0],
    rating_max_date: dates.at(-1)!,
    rating_sum: facts.reduce((s, f) => s + f.rating, 0),
    ratings_by_star: [1, 2, 3, 4, 5].map((star) => facts.filter((f) => f.rating === star).length) as Counted['ratings_by_star'],
    rating_days: new Set(dates).size,
    movies_unrated: [...titled].filter((m) => !rated.has(m)).length,
    ...pairs,
    rejects_by_reason: byReason,
    files,
    rejects: rejects.sort((a, b) => (a.source_file < b.source_file ? -1 : a.source_file > b.source_file ? 1 : a.line_number - b.line_number)),
  };
}

/** Lines under movie headers of a block-layout file, after the header rules: [line number, movie, text]. */
function blockLines(bytes: Buffer, reject: (line: number, reason: RejectReason) => void, counts: ExpectedFile): [number, number, string][] {
  const out: [number, number, string][] = [];
  let movie: number | undefined;
  linesOf(bytes).forEach((text, i) => {
    const line = i + 1;
    if (text === '') return void counts.blank_lines++;
    counts.lines_non_blank++;
    if (text.endsWith(':')) {
      movie = isPositiveInt32(text.slice(0, -1)) ? Number(text.slice(0, -1)) : undefined;
      if (movie === undefined) reject(line, 'bad_movie_header');
      else counts.headers++;
      return;
    }
    if (movie === undefined) return reject(line, 'no_movie_header');
    out.push([line, movie, text]);
  });
  return out;
}

/** SPEC 1.4: probe.txt and qualifying.txt against the facts and dimensions found above. */
function referencePairs(
  dir: string,
  all: string[],
  facts: {movie: number; customer: number}[],
  movies: Set<number>,
  files: Record<string, ExpectedFile>,
  rejects: ExpectedReject[],
): Pick<Expected, 'probe_ratings' | 'fact_qualifying' | 'qualifying_min_date' | 'qualifying_max_date'> {
  const read = (file: string): Buffer => (file.endsWith('.gz') ? gunzipSync(readFileSync(join(dir, file))) : readFileSync(join(dir, file)));
  const factPairs = new Set(facts.map((f) => `${f.movie}:${f.customer}`));
  const customers = new Set(facts.map((f) => f.customer));
  const result = {probe_ratings: 0, fact_qualifying: 0, qualifying_min_date: null as string | null, qualifying_max_date: null as string | null};
  const counter = (file: string) => {
    const counts: ExpectedFile = {lines_non_blank: 0, blank_lines: 0, headers: 0, accepted: 0, rejected: 0};
    files[file] = counts;
    return {counts, reject: (line: number, reason: RejectReason) => (rejects.push({source_file: file, line_number: line, reason}), counts.rejected++)};
  };
  const probeFile = all.find((p) => /^probe\.txt(\.gz)?$/.test(p));
  if (probeFile) {
    const {counts, reject} = counter(probeFile);
    const kept = new Set<string>();
    for (const [line, movie, text] of blockLines(read(probeFile), reject, counts)) {
      if (text.split(',').length !== 1) reject(line, 'malformed_line');
      else if (!isPositiveInt32(text)) reject(line, 'bad_customer_id');
      else if (!factPairs.has(`${movie}:${Number(text)}`)) reject(line, 'probe_not_rated');
      else if (kept.has(`${movie}:${Number(text)}`)) reject(line, 'duplicate');
      else kept.add(`${movie}:${Number(text)}`), counts.accepted++;
    }
    result.probe_ratings = kept.size;
  }
  const qualifyingFile = all.find((p) => /^qualifying\.txt(\.gz)?$/.test(p));
  if (qualifyingFile) {
    const {counts, reject} = counter(qualifyingFile);
    const latest = new Map<string, {line: number; date: string}>();
    for (const [line, movie, text] of blockLines(read(qualifyingFile), reject, counts)) {
      const fields = text.split(',');
      if (fields.length !== 2) reject(line, 'malformed_line');
      else if (!isPositiveInt32(fields[0])) reject(line, 'bad_customer_id');
      else if (!isRealDate(fields[1])) reject(line, 'bad_date');
      else if (!movies.has(movie)) reject(line, 'unknown_movie');
      else if (!customers.has(Number(fields[0]))) reject(line, 'unknown_customer');
      else {
        const key = `${movie}:${Number(fields[0])}`;
        const before = latest.get(key);
        // the latest date wins, on equal dates the later line
        if (before === undefined || fields[1] >= before.date) {
          if (before) reject(before.line, 'duplicate');
          latest.set(key, {line, date: fields[1]});
        } else {
          reject(line, 'duplicate');
        }
        counts.accepted++;
      }
    }
    counts.accepted = latest.size;
    const dates = [...latest.values()].map((q) => q.date).sort();
    Object.assign(result, {fact_qualifying: latest.size, qualifying_min_date: dates[0] ?? null, qualifying_max_date: dates.at(-1) ?? null});
  }
  return result;
}

function readExpected(dir: string): Expected {
  return JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected;
}

async function generate(flags: Omit<GenerateFlags, 'out'>): Promise<string> {
  const out = tempDir();
  await generateDataSet(resolveGenerateOptions({out, ...flags}));
  return out;
}

beforeAll(() => setConsoleState({quiet: true, json: false}));

describe('--dirty, combined layout', () => {
  let out: string;
  let expected: Expected;

  beforeAll(async () => {
    out = await generate({ratings: '20000', dirty: true});
    expected = readExpected(out);
  });

  test('expected.json matches an independent reference transform of the files, reject by reject', () => {
    const {seed, layout, dirty, ...counted} = expected;
    expect({seed, layout, dirty}).toEqual({seed: 42, layout: 'combined', dirty: true});
    expect(referenceTransform(out)).toEqual(counted);
  });

  test('every reject reason occurs', () => {
    for (const [reason, n] of Object.entries(expected.rejects_by_reason)) expect(n, reason).toBeGreaterThan(0);
    expect(expected.rejects).toHaveLength(Object.values(expected.rejects_by_reason).reduce((a, b) => a + b, 0));
  });

  test('headers + accepted + rejected = non-blank lines, per file', () => {
    for (const [file, c] of Object.entries(expected.files)) expect(c.headers + c.accepted + c.rejected, file).toBe(c.lines_non_blank);
  });

  test('duplicates keep --ratings facts; one movie lacks a title, one title lacks ratings', () => {
    expect(expected).toMatchObject({fact_ratings: 20_000, dim_movie: 21, movies_without_title: 1});
  });

  test('both duplicate rules are exercised: a later date wins, and on equal dates the later occurrence wins', () => {
    // regroup the duplicate rejects with the accepted occurrence of the same pair, from the bytes
    const byPair = new Map<string, {file: string; line: number; date: string}[]>();
    for (const file of Object.keys(expected.files).filter((f) => f.startsWith('combined_data_'))) {
      let movie = '';
      linesOf(readFileSync(join(out, file))).forEach((text, i) => {
        if (/^\d+:$/.test(text)) movie = text.slice(0, -1);
        const m = /^(\d+),[1-5],(\d{4}-\d{2}-\d{2})$/.exec(text);
        if (m && movie) byPair.set(`${movie}:${m[1]}`, [...(byPair.get(`${movie}:${m[1]}`) ?? []), {file, line: i + 1, date: m[2]}]);
      });
    }
    const repeated = [...byPair.values()].filter((list) => list.length > 1);
    const sameDate = repeated.filter((list) => new Set(list.map((o) => o.date)).size < list.length);
    const laterDateLast = repeated.filter((list) => list.at(-1)!.date > list[0].date);
    const earlierDateLast = repeated.filter((list) => list.at(-1)!.date < list[0].date);
    const acrossFiles = repeated.filter((list) => new Set(list.map((o) => o.file)).size > 1);
    const threeTimes = repeated.filter((list) => list.length >= 3);
    expect(sameDate.length).toBeGreaterThan(0);
    expect(laterDateLast.length).toBeGreaterThan(0);
    expect(earlierDateLast.length).toBeGreaterThan(0);
    expect(acrossFiles.length).toBeGreaterThan(0);
    expect(threeTimes.length).toBeGreaterThan(0);
  });

  test('the last rating file has no final newline; blank, whitespace-only and CRLF lines occur', () => {
    const raw = (n: number): string => readFileSync(join(out, `combined_data_${n}.txt`), 'latin1');
    expect(raw(4).endsWith('\n')).toBe(false);
    expect([1, 2, 3].every((n) => raw(n).endsWith('\n'))).toBe(true);
    const text = [1, 2, 3, 4].map(raw).join('');
    expect(text).toMatch(/\n\n/);
    expect(text).toMatch(/\n[ \t]+\n/);
    expect(text).toMatch(/\n\d+,[1-5],\d{4}-\d{2}-\d{2}\r\n/);
    expect(text).toMatch(/\n[ \t]+\d+,[1-5],\d{4}-\d{2}-\d{2}[ \t]*\n/);
    expect(text).toMatch(/\n\d+:\r\n/);
  });
});

describe('--dirty, other layouts and sizes', () => {
  test('training-set layout with gzip: expected.json matches the reference transform', async () => {
    const out = await generate({ratings: '20000', movies: '30', dirty: true, layout: 'training-set', gzip: true});
    const {seed, layout, dirty, ...counted} = readExpected(out);
    expect({seed, layout, dirty}).toEqual({seed: 42, layout: 'training-set', dirty: true});
    expect(referenceTransform(out)).toEqual(counted);
    for (const n of Object.values(counted.rejects_by_reason)) expect(n).toBeGreaterThan(0);
  });

  test.each(['1', '2', '3'])('seed %s, 50,000 ratings over 200 movies: expected.json matches the reference transform', async (seed) => {
    const out = await generate({ratings: '50000', movies: '200', seed, dirty: true});
    const {seed: _seed, layout: _layout, dirty: _dirty, ...counted} = readExpected(out);
    expect(referenceTransform(out)).toEqual(counted);
  });

  test.each([
    {ratings: '100', movies: '20', customers: '10', layout: 'combined'},
    {ratings: '200', movies: '20', customers: '10', layout: 'training-set'},
  ])('tiny blocks, %o (200 = every pair rated): expected.json matches the reference transform', async (flags) => {
    const out = await generate({...flags, dirty: true});
    const {seed: _seed, layout: _layout, dirty: _dirty, ...counted} = readExpected(out);
    expect(referenceTransform(out)).toEqual(counted);
  });

  test('a clean set: the reference transform finds no rejects and the same totals', async () => {
    const out = await generate({ratings: '20000', layout: 'training-set'});
    const {seed: _seed, layout: _layout, dirty: _dirty, ...counted} = readExpected(out);
    expect(referenceTransform(out)).toEqual(counted);
  });
});
