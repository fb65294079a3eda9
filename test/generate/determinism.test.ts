import {createHash} from 'node:crypto';
import {readdirSync, readFileSync, statSync} from 'node:fs';
import {join, relative} from 'node:path';
import {gunzipSync} from 'node:zlib';
import {beforeAll, describe, expect, test} from 'vitest';
import {generateDataSet} from '../../src/generate/generate.js';
import {resolveGenerateOptions, type GenerateFlags} from '../../src/generate/options.js';
import {setConsoleState} from '../../src/log.js';
import {tempDir} from '../helpers/tmp.js';

/** sha256 of every file under dir, by relative path. */
function hashTree(dir: string, root = dir): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) Object.assign(hashes, hashTree(path, root));
    else hashes[relative(root, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  return hashes;
}

/** Every rating as `movie,customer,rating,date`, sorted: the data set regardless of how it is laid out. */
function ratingMultiset(dir: string): string[] {
  const rows: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/^(combined_data_\d|mv_\d{7})\.txt(\.gz)?$/.test(name)) {
        const bytes = readFileSync(path);
        let movie = '';
        for (const raw of (name.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('latin1').split('\n')) {
          const line = raw.trim();
          if (line.endsWith(':')) movie = line.slice(0, -1);
          else if (line) rows.push(`${movie},${line}`);
        }
      }
    }
  };
  walk(dir);
  return rows.sort();
}

async function generate(flags: Omit<GenerateFlags, 'out'>): Promise<string> {
  const out = tempDir();
  await generateDataSet(resolveGenerateOptions({out, ratings: '20000', ...flags}));
  return out;
}

beforeAll(() => setConsoleState({quiet: true, json: false}));

describe('determinism', () => {
  test('the same flags and seed give byte-identical files', async () => {
    const [a, b] = await Promise.all([generate({seed: '7'}), generate({seed: '7'})]);
    const hashes = hashTree(a);
    expect(Object.keys(hashes)).toHaveLength(8);
    expect(hashTree(b)).toEqual(hashes);
  });

  test('--dirty runs are byte-identical too', async () => {
    const [a, b] = await Promise.all([generate({dirty: true}), generate({dirty: true})]);
    expect(hashTree(b)).toEqual(hashTree(a));
  });

  test('another seed gives other ratings and other titles', async () => {
    const [a, b] = await Promise.all([generate({seed: '7'}), generate({seed: '8'})]);
    const [ha, hb] = [hashTree(a), hashTree(b)];
    for (const name of Object.keys(ha)) expect(hb[name]).not.toBe(ha[name]);
  });
});

describe('layouts and compression change only how blocks are written', () => {
  let combined: string;

  beforeAll(async () => {
    combined = await generate({});
  });

  test('combined and training-set layouts hold the same (movie, customer, rating, date) rows', async () => {
    const trainingSet = await generate({layout: 'training-set'});
    const rows = ratingMultiset(combined);
    expect(rows).toHaveLength(20_000);
    expect(ratingMultiset(trainingSet)).toEqual(rows);
  });

  test('--gzip files decompress to exactly the plain files', async () => {
    const gzipped = await generate({gzip: true});
    for (let i = 1; i <= 4; i++) {
      const plain = readFileSync(join(combined, `combined_data_${i}.txt`));
      expect(gunzipSync(readFileSync(join(gzipped, `combined_data_${i}.txt.gz`))).equals(plain)).toBe(true);
    }
    expect(readFileSync(join(gzipped, 'movie_titles.csv')).equals(readFileSync(join(combined, 'movie_titles.csv')))).toBe(true);
  });

  test('--dirty adds lines but keeps every clean rating of the same seed', async () => {
    const dirty = await generate({dirty: true});
    const clean = new Set(ratingMultiset(combined));
    const dirtyRows = new Set(ratingMultiset(dirty));
    for (const row of clean) expect(dirtyRows.has(row)).toBe(true);
  });
});
