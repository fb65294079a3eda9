import {readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {gzipSync} from 'node:zlib';
import {describe, expect, it} from 'vitest';
import {generateDataSet} from '../../src/generate/generate.js';
import {resolveGenerateOptions} from '../../src/generate/options.js';
import {tempDir} from '../helpers/tmp.js';
import {transform, type Transformed} from './dataset.js';

async function generate(flags: {ratings: string; seed?: string; layout?: string; dirty?: boolean}): Promise<string> {
  const out = join(tempDir('nfx-gen-'), 'data');
  await generateDataSet(resolveGenerateOptions({out, ...flags}));
  return out;
}

/** Every table's rows in key order, as one comparable value (etl_run and source_file hold run ids and paths). */
async function starContents(t: Transformed): Promise<unknown[]> {
  return Promise.all(
    [
      ['dim_date', 'date_key'],
      ['dim_movie', 'movie_key'],
      ['dim_customer', 'customer_key'],
      ['fact_ratings', 'rating_key'],
    ].map(([table, key]) => t.query(`SELECT '${table}' AS t, count(*) AS n, md5(string_agg(CAST(row AS VARCHAR), '|' ORDER BY ${key})) AS digest FROM ${table} AS row`)),
  );
}

describe('transform of generated data', () => {
  it.each(['combined', 'training-set'])('produces exactly the counts, rejects and line numbers the generator expects from --dirty data (%s layout)', async (layout) => {
    const data = await generate({ratings: '60000', seed: '11', dirty: true, layout});
    const expected = JSON.parse(readFileSync(join(data, 'expected.json'), 'utf8'));
    const t = await transform(data, {maxRejectRate: 1});
    expect(t.summary.tables.fact_ratings).toBe(expected.fact_ratings);
    expect(t.summary.tables.dim_movie).toBe(expected.dim_movie);
    expect(t.summary.tables.dim_customer).toBe(expected.dim_customer);
    expect(t.summary.moviesWithoutTitle).toBe(expected.movies_without_title);
    expect(t.summary.probeRatings).toBe(expected.probe_ratings);
    expect(t.summary.tables.fact_qualifying).toBe(expected.fact_qualifying);
    expect(expected.probe_ratings).toBeGreaterThan(0);
    expect(expected.fact_qualifying).toBeGreaterThan(0);
    const [q] = await t.query('SELECT min(d.date_actual)::VARCHAR AS first, max(d.date_actual)::VARCHAR AS last FROM fact_qualifying JOIN dim_date d USING (date_key)');
    expect(q).toEqual({first: expected.qualifying_min_date, last: expected.qualifying_max_date});
    expect(t.summary.rejectsByReason).toEqual(expected.rejects_by_reason);
    for (const reason of Object.keys(expected.rejects_by_reason)) expect(expected.rejects_by_reason[reason]).toBeGreaterThan(0);
    const [sums] = await t.query('SELECT sum(rating) AS rating_sum FROM fact_ratings');
    expect(sums.rating_sum).toBe(expected.rating_sum);
    const stored = await t.query('SELECT source_file, line_number, reason FROM rejects ORDER BY source_file, line_number');
    expect(stored).toEqual(expected.rejects);
    for (const file of t.summary.files) {
      const want = expected.files[file.path];
      expect({nonBlank: file.lines - file.blankLines, blank: file.blankLines, headers: file.headers, accepted: file.accepted, rejected: file.rejected}).toEqual({
        nonBlank: want.lines_non_blank,
        blank: want.blank_lines,
        headers: want.headers,
        accepted: want.accepted,
        rejected: want.rejected,
      });
    }
  });

  it('gives identical star schemas for the Kaggle and the original training-set layouts', async () => {
    const combined = await transform(await generate({ratings: '30000', seed: '5', layout: 'combined'}));
    const training = await transform(await generate({ratings: '30000', seed: '5', layout: 'training-set'}));
    expect(training.summary.files.length).toBeGreaterThan(5);
    expect(await starContents(training)).toEqual(await starContents(combined));
  });

  it('reads .gz inputs through zlib with the same result as the plain files', async () => {
    const data = await generate({ratings: '30000', seed: '9'});
    const plain = await transform(data);
    const gz = join(tempDir('nfx-gz-'), 'data');
    await generateDataSet(resolveGenerateOptions({out: gz, ratings: '30000', seed: '9'}));
    for (const name of readdirSync(gz).filter((n) => n.startsWith('combined_data_'))) {
      writeFileSync(join(gz, `${name}.gz`), gzipSync(readFileSync(join(gz, name))));
      rmSync(join(gz, name));
    }
    const zipped = await transform(gz);
    expect(zipped.summary.files.map((f) => f.path)).toContain('combined_data_1.txt.gz');
    expect(await starContents(zipped)).toEqual(await starContents(plain));
    expect(zipped.summary.rejectsByReason).toEqual(plain.summary.rejectsByReason);
  });

  it('is deterministic: two runs on the same inputs give identical tables', async () => {
    const data = await generate({ratings: '40000', seed: '3', dirty: true});
    const first = await transform(data, {maxRejectRate: 1, threads: 2});
    const second = await transform(data, {maxRejectRate: 1, threads: 2});
    expect(await starContents(second)).toEqual(await starContents(first));
    expect(await second.query('SELECT * FROM rejects ORDER BY source_file, line_number')).toEqual(await first.query('SELECT * FROM rejects ORDER BY source_file, line_number'));
  });

  it('numbers rating_key in (movie_id, customer_id) order on a larger input', async () => {
    const t = await transform(await generate({ratings: '200000', seed: '21'}), {threads: 2});
    const [check] = await t.query(`
      SELECT count(*) AS n, min(rating_key) AS lo, max(rating_key) AS hi,
             count(*) FILTER (WHERE rating_key <> row_number) AS misplaced
      FROM (SELECT f.rating_key, row_number() OVER (ORDER BY m.movie_id, c.customer_id) AS row_number
            FROM fact_ratings f JOIN dim_movie m USING (movie_key) JOIN dim_customer c USING (customer_key))`);
    expect(check).toEqual({n: 200000, lo: 1, hi: 200000, misplaced: 0});
  });
});
