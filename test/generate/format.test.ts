import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {beforeAll, describe, expect, test} from 'vitest';
import {generateDataSet, type GenerateResult} from '../../src/generate/generate.js';
import {MAX_CUSTOMER_ID, resolveGenerateOptions} from '../../src/generate/options.js';
import {setConsoleState} from '../../src/log.js';
import {tempDir} from '../helpers/tmp.js';

// The bytes of a clean data set, checked against the grammar of SPEC 1.1 and 1.2.

const HEADER = /^(\d+):$/;
const RATING = /^(\d+),([1-5]),(\d{4}-\d{2}-\d{2})$/;

function isRealDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

interface ParsedFile {
  name: string;
  text: string;
  movieIds: number[];
  ratings: {movieId: number; customerId: number; rating: number; date: string}[];
  badLines: string[];
}

/** Strict parse: every line must be a header or a rating line, nothing else. */
function parseStrict(name: string, bytes: Buffer): ParsedFile {
  const text = bytes.toString('latin1');
  const parsed: ParsedFile = {name, text, movieIds: [], ratings: [], badLines: []};
  let movieId = 0;
  for (const line of text.split('\n').slice(0, -1)) {
    const header = HEADER.exec(line);
    const rating = RATING.exec(line);
    if (header) {
      movieId = Number(header[1]);
      parsed.movieIds.push(movieId);
    } else if (rating && movieId > 0 && isRealDate(rating[3])) {
      parsed.ratings.push({movieId, customerId: Number(rating[1]), rating: Number(rating[2]), date: rating[3]});
    } else {
      parsed.badLines.push(line);
    }
  }
  return parsed;
}

describe('a clean combined data set of 30,000 ratings', () => {
  let out: string;
  let result: GenerateResult;
  let files: ParsedFile[];
  const options = {ratings: '30000', movies: '40', customers: '20000'};

  beforeAll(async () => {
    setConsoleState({quiet: true, json: false});
    out = tempDir();
    result = await generateDataSet(resolveGenerateOptions({out, ...options}));
    files = readdirSync(out)
      .filter((n) => n.startsWith('combined_data_'))
      .sort()
      .map((n) => parseStrict(n, readFileSync(join(out, n))));
  });

  test('writes combined_data_1..4.txt, movie_titles.csv, probe.txt, qualifying.txt and expected.json', () => {
    expect(readdirSync(out).sort()).toEqual([
      'combined_data_1.txt',
      'combined_data_2.txt',
      'combined_data_3.txt',
      'combined_data_4.txt',
      'expected.json',
      'movie_titles.csv',
      'probe.txt',
      'qualifying.txt',
    ]);
  });

  test('every line is a movie header or a rating line with a real date, LF only, each file ends with LF', () => {
    for (const file of files) {
      expect(file.badLines).toEqual([]);
      expect(file.text.endsWith('\n')).toBe(true);
      expect(file.text.includes('\r')).toBe(false);
    }
  });

  test('the files split movies 1..40 by contiguous id ranges in the real proportions, ascending', () => {
    // 40 movies scaled from 1-4499, 4500-9210, 9211-13367, 13368-17770
    expect(files.map((f) => [f.movieIds[0], f.movieIds.at(-1)])).toEqual([
      [1, 10],
      [11, 21],
      [22, 30],
      [31, 40],
    ]);
    expect(files.flatMap((f) => f.movieIds)).toEqual(Array.from({length: 40}, (_, i) => i + 1));
  });

  test('there are exactly --ratings ratings, each (movie, customer) pair once', () => {
    const ratings = files.flatMap((f) => f.ratings);
    expect(ratings).toHaveLength(30_000);
    expect(new Set(ratings.map((r) => `${r.movieId}:${r.customerId}`)).size).toBe(30_000);
  });

  test('probe.txt: about 1.4 % of the ratings, rated pairs, each its customer\'s most recent, movies in string order', () => {
    const ratings = files.flatMap((f) => f.ratings);
    const byPair = new Map(ratings.map((r) => [`${r.movieId}:${r.customerId}`, r]));
    const probe = pairLines(readFileSync(join(out, 'probe.txt'), 'latin1'));
    expect(probe.length / ratings.length).toBeGreaterThan(0.01);
    expect(probe.length / ratings.length).toBeLessThan(0.018);
    expect(new Set(probe.map((p) => `${p.movieId}:${p.fields[0]}`)).size).toBe(probe.length);
    const headers = [...new Set(probe.map((p) => p.movieId))];
    expect(headers.map(String)).toEqual(headers.map(String).sort());
    expect(headers).not.toEqual([...headers].sort((a, b) => a - b));
    // no rating of a probe customer outside the probe set is more recent than that customer's probe ratings
    const probed = new Set(probe.map((p) => `${p.movieId}:${p.fields[0]}`));
    const oldestProbe = new Map<number, string>();
    for (const p of probe) {
      const date = byPair.get(`${p.movieId}:${p.fields[0]}`)!.date;
      const customer = Number(p.fields[0]);
      if (!oldestProbe.has(customer) || date < oldestProbe.get(customer)!) oldestProbe.set(customer, date);
    }
    for (const r of ratings) {
      if (probed.has(`${r.movieId}:${r.customerId}`) || !oldestProbe.has(r.customerId)) continue;
      expect(r.date <= oldestProbe.get(r.customerId)!).toBe(true);
    }
  });

  test('qualifying.txt: about 2.8 % of the ratings, unrated pairs of known movies and customers, recent dates', () => {
    const ratings = files.flatMap((f) => f.ratings);
    const rated = new Set(ratings.map((r) => `${r.movieId}:${r.customerId}`));
    const customers = new Set(ratings.map((r) => r.customerId));
    const qualifying = pairLines(readFileSync(join(out, 'qualifying.txt'), 'latin1'));
    expect(qualifying.length / ratings.length).toBeGreaterThan(0.02);
    expect(qualifying.length / ratings.length).toBeLessThan(0.035);
    for (const q of qualifying) {
      expect(rated.has(`${q.movieId}:${q.fields[0]}`)).toBe(false);
      expect(customers.has(Number(q.fields[0]))).toBe(true);
      expect(q.movieId).toBeLessThanOrEqual(40);
      expect(q.fields[1] >= '2005-10-01' && q.fields[1] <= '2005-12-31').toBe(true);
    }
    expect(new Set(qualifying.map((q) => `${q.movieId}:${q.fields[0]}`)).size).toBe(qualifying.length);
  });

  test('exactly --customers distinct customer ids, all within 1..2,649,429 and not simply 1..C', () => {
    const ids = new Set(files.flatMap((f) => f.ratings.map((r) => r.customerId)));
    expect(ids.size).toBe(20_000);
    expect(Math.min(...ids)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...ids)).toBeLessThanOrEqual(MAX_CUSTOMER_ID);
    expect(Math.max(...ids)).toBeGreaterThan(1_000_000);
  });

  test('dates lie in 1999-11-11..2005-12-31, with more ratings in later years', () => {
    const dates = files.flatMap((f) => f.ratings.map((r) => r.date));
    expect(dates.every((d) => d >= '1999-11-11' && d <= '2005-12-31')).toBe(true);
    const in2005 = dates.filter((d) => d.startsWith('2005')).length;
    const in2002 = dates.filter((d) => d.startsWith('2002')).length;
    expect(in2005).toBeGreaterThan(4 * in2002);
  });

  test('ratings follow the real distribution within a few points (1:5% 2:10% 3:29% 4:34% 5:23%)', () => {
    const ratings = files.flatMap((f) => f.ratings.map((r) => r.rating));
    const share = [1, 2, 3, 4, 5].map((v) => ratings.filter((r) => r === v).length / ratings.length);
    [0.046, 0.101, 0.287, 0.336, 0.231].forEach((real, i) => expect(Math.abs(share[i] - real)).toBeLessThan(0.04));
  });

  test('movie popularity and customer activity are skewed', () => {
    const perMovie = new Map<number, number>();
    const perCustomer = new Map<number, number>();
    for (const r of files.flatMap((f) => f.ratings)) {
      perMovie.set(r.movieId, (perMovie.get(r.movieId) ?? 0) + 1);
      perCustomer.set(r.customerId, (perCustomer.get(r.customerId) ?? 0) + 1);
    }
    const movies = [...perMovie.values()].sort((a, b) => a - b);
    const customers = [...perCustomer.values()].sort((a, b) => a - b);
    expect(movies.at(-1)!).toBeGreaterThan(4 * movies[movies.length >> 1]);
    expect(customers.at(-1)!).toBeGreaterThan(4 * customers[customers.length >> 1]);
    expect(customers[0]).toBe(1);
  });

  test('movie_titles.csv is Latin-1 (not valid UTF-8), one line per movie, with the traps of the real file', () => {
    const bytes = readFileSync(join(out, 'movie_titles.csv'));
    expect(bytes.some((b) => b >= 0x80)).toBe(true);
    expect(() => new TextDecoder('utf-8', {fatal: true}).decode(bytes)).toThrow();
    const text = bytes.toString('latin1');
    expect(text.endsWith('\n')).toBe(true);
    expect(text.includes('\r')).toBe(false);
    const lines = text.split('\n').slice(0, -1);
    expect(lines.map((l) => Number(l.split(',')[0]))).toEqual(Array.from({length: 40}, (_, i) => i + 1));
    const fields = lines.map((l) => /^(\d+),(\d{4}|NULL),(.+)$/.exec(l));
    expect(fields.every(Boolean)).toBe(true);
    const titles = fields.map((f) => f![3]);
    expect(titles.some((t) => t.includes(','))).toBe(true);
    expect(titles.some((t) => t.includes('"'))).toBe(true);
    expect(titles.some((t) => /[\u00c0-\u00ff]/.test(t))).toBe(true);
    expect(fields.some((f) => f![2] === 'NULL')).toBe(true);
  });

  test('expected.json of a clean set: all ratings kept, no rejects, per-file counts add up', () => {
    const expected = JSON.parse(readFileSync(join(out, 'expected.json'), 'utf8'));
    const ratings = files.flatMap((f) => f.ratings);
    const dates = ratings.map((r) => r.date).sort();
    expect(expected).toMatchObject({
      seed: 42,
      layout: 'combined',
      dirty: false,
      fact_ratings: 30_000,
      dim_movie: 40,
      dim_customer: 20_000,
      movies_without_title: 0,
      rating_min_date: dates[0],
      rating_max_date: dates.at(-1),
      rating_sum: ratings.reduce((s, r) => s + r.rating, 0),
      rejects: [],
    });
    expect(Object.values(expected.rejects_by_reason)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    for (const file of files) {
      expect(expected.files[file.name]).toEqual({
        lines_non_blank: file.movieIds.length + file.ratings.length,
        blank_lines: 0,
        headers: file.movieIds.length,
        accepted: file.ratings.length,
        rejected: 0,
      });
    }
    expect(expected.files['movie_titles.csv']).toEqual({lines_non_blank: 40, blank_lines: 0, headers: 0, accepted: 40, rejected: 0});
  });

  test('the result lists every file with its size and line count', () => {
    expect(result.files.map((f) => f.path)).toEqual([
      'combined_data_1.txt',
      'combined_data_2.txt',
      'combined_data_3.txt',
      'combined_data_4.txt',
      'probe.txt',
      'qualifying.txt',
      'movie_titles.csv',
    ]);
    for (const file of files) {
      const listed = result.files.find((f) => f.path === file.name)!;
      expect(listed.bytes).toBe(Buffer.byteLength(file.text, 'latin1'));
      expect(listed.lines).toBe(file.movieIds.length + file.ratings.length);
    }
    expect(result).toMatchObject({ratings: 30_000, movies: 40, customers: 20_000, seed: 42, layout: 'combined', dirty: false});
  });
});

describe('the training-set layout', () => {
  test('writes training_set/mv_NNNNNNN.txt, one block per file, plus movie_titles.txt', async () => {
    setConsoleState({quiet: true, json: false});
    const out = tempDir();
    await generateDataSet(resolveGenerateOptions({out, ratings: '2000', movies: '25', layout: 'training-set'}));
    const names = readdirSync(join(out, 'training_set')).sort();
    expect(names).toEqual(Array.from({length: 25}, (_, i) => `mv_${String(i + 1).padStart(7, '0')}.txt`));
    expect(readdirSync(out).sort()).toEqual(['expected.json', 'movie_titles.txt', 'probe.txt', 'qualifying.txt', 'training_set']);
    for (const [i, name] of names.entries()) {
      const file = parseStrict(name, readFileSync(join(out, 'training_set', name)));
      expect(file.badLines).toEqual([]);
      expect(file.movieIds).toEqual([i + 1]);
      expect(file.text.startsWith(`${i + 1}:\n`)).toBe(true);
    }
  });
});

/** The lines under headers of a probe or qualifying file: movie id and comma-separated fields. */
function pairLines(text: string): {movieId: number; fields: string[]}[] {
  let movieId = 0;
  const lines: {movieId: number; fields: string[]}[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.endsWith(':')) movieId = Number(line.slice(0, -1));
    else lines.push({movieId, fields: line.split(',')});
  }
  return lines;
}
