/**
 * Warehouses for the analysis tests, built from generated data, and counts taken straight from the generated
 * files (not from the warehouse) to check the reports against.
 *
 *   const {data, db} = await generatedWarehouse({ratings: '30000', seed: '7'});
 *   const perMovie = ratingsInFiles(data);  // every rating line of the clean files, by movie
 */
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {readFileSync, readdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {DuckDBInstance} from '@duckdb/node-api';
import {generateDataSet} from '../../src/generate/generate.js';
import {resolveGenerateOptions} from '../../src/generate/options.js';
import {REPO_ROOT} from '../helpers/cli.js';
import {tempDir} from '../helpers/tmp.js';
import {transform} from '../transform/dataset.js';

export interface GeneratedWarehouse {
  /** The generated data folder (with expected.json). */
  data: string;
  /** The DuckDB file nfx transform built from it. */
  db: string;
}

export async function generatedWarehouse(flags: {ratings: string; seed: string; dirty?: boolean}): Promise<GeneratedWarehouse> {
  const data = join(tempDir('nfx-gen-'), 'data');
  await generateDataSet(resolveGenerateOptions({out: data, ...flags}));
  const {db} = await transform(data, {maxRejectRate: 1});
  return {data, db};
}

export interface FileRating {
  movieId: number;
  customerId: number;
  rating: number;
  date: string;
}

/**
 * Every rating line of a clean (not --dirty) combined-layout data set: no rejects and no duplicates there,
 * so each line is one fact row. Read with a plain line split, independently of the nfx parser.
 */
export function ratingsInFiles(data: string): FileRating[] {
  const ratings: FileRating[] = [];
  for (const file of readdirSync(data).filter((f) => /^combined_data_\d+\.txt$/.test(f)).sort()) {
    let movieId = 0;
    for (const line of readFileSync(join(data, file), 'latin1').split('\n')) {
      if (line.endsWith(':')) movieId = Number(line.slice(0, -1));
      else if (line.trim() !== '') {
        const [customerId, rating, date] = line.trim().split(',');
        ratings.push({movieId, customerId: Number(customerId), rating: Number(rating), date});
      }
    }
  }
  return ratings;
}

/** Titles of movie_titles.csv by movie id (split on the first two commas, as the data contract says). */
export function titlesInFile(data: string): Map<number, {year: number | null; title: string}> {
  const titles = new Map<number, {year: number | null; title: string}>();
  for (const line of readFileSync(join(data, 'movie_titles.csv'), 'latin1').split('\n')) {
    if (line.trim() === '') continue;
    const [id, year, ...title] = line.split(',');
    titles.set(Number(id), {year: year === '' || year === 'NULL' ? null : Number(year), title: title.join(',').trim()});
  }
  return titles;
}

/** Count and sum of ratings per key, for comparing with a report's counts and averages. */
export function tally<K>(ratings: FileRating[], key: (r: FileRating) => K): Map<K, {ratings: number; sum: number}> {
  const tallies = new Map<K, {ratings: number; sum: number}>();
  for (const r of ratings) {
    const t = tallies.get(key(r)) ?? {ratings: 0, sum: 0};
    t.ratings++;
    t.sum += r.rating;
    tallies.set(key(r), t);
  }
  return tallies;
}

/** Rounded as the reports round averages (4 decimals). */
export const round4 = (n: number): number => Math.round(n * 1e4) / 1e4;

/** A report's average is the exact average rounded to 4 decimals. */
export function expectAverage(actual: unknown, sum: number, count: number): void {
  const exact = sum / count;
  if (typeof actual !== 'number' || Math.abs(actual - exact) > 0.50001e-4) {
    throw new Error(`average ${String(actual)} is not ${exact} rounded to 4 decimals`);
  }
}

/**
 * The files a warehouse command must refuse with exit code 2, each made fresh in a temp dir: a path that does
 * not exist, a text file, and a DuckDB file without the star schema.
 */
export async function notAWarehouse(kind: 'missing' | 'text' | 'other-duckdb'): Promise<string> {
  const path = join(tempDir('nfx-bad-'), 'netflix.duckdb');
  if (kind === 'text') writeFileSync(path, 'movie_id,title\n1,Dinosaur Planet\n');
  if (kind === 'other-duckdb') {
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    await connection.run('CREATE TABLE fact_ratings (rating SMALLINT)');
    connection.closeSync();
    instance.closeSync();
  }
  return path;
}

/**
 * Holds DuckDB's write lock on `db` from another process, as a DuckDB shell or program writing to it would; release() ends it.
 */
export async function holdDuckDBLock(db: string): Promise<{release(): Promise<void>}> {
  const script = `import {DuckDBInstance} from '@duckdb/node-api';
const instance = await DuckDBInstance.create(${JSON.stringify(db)});
await instance.connect();
process.stdout.write('locked\\n');
process.stdin.on('data', () => {}).on('end', () => process.exit(0));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'inherit']});
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  if (!chunk.toString().includes('locked')) throw new Error(`lock holder said ${chunk.toString()}`);
  return {
    async release() {
      const exited = once(child, 'exit');
      child.stdin!.end();
      await exited;
    },
  };
}
