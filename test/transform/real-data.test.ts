import {cpSync, existsSync, mkdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {tempDir} from '../helpers/tmp.js';
import {transform} from './dataset.js';

// Conformance on the real Netflix Prize bytes. The files are not in the repo (the data's licence forbids
// redistribution); these tests run where ../shared/data/real exists and are skipped elsewhere.
const REAL = process.env.NFX_REAL_DATA ?? join(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'real');
const hasReal = existsSync(join(REAL, 'movie-titles-official', 'movie_titles.txt'));
if (!hasReal) console.warn(`real Netflix Prize files not found at ${REAL}: real-data conformance tests skipped (set NFX_REAL_DATA)`);

/** A data folder laid out as nfx expects, made of copies of real files. */
function dataFolder(files: Record<string, string>): string {
  const dir = tempDir('nfx-real-');
  for (const [name, source] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), {recursive: true});
    cpSync(join(REAL, source), join(dir, name));
  }
  return dir;
}

function ratingLines(path: string): number {
  return readFileSync(path, 'latin1').split('\n').filter((line) => /^\d+,[1-5],\d{4}-\d\d-\d\d$/.test(line.trim())).length;
}

describe.skipIf(!hasReal)('real Netflix Prize files', () => {
  it('reads the official movie_titles.txt: 17,770 movies, 7 NULL years, Latin-1 decoded', async () => {
    const t = await transform(
      dataFolder({
        'movie_titles.txt': 'movie-titles-official/movie_titles.txt',
        'combined_data_1.txt': 'kaggle-combined1-head/combined_data_1.txt',
      }),
    );
    expect(t.summary.titlesEncoding).toBe('latin1');
    expect(await t.query('SELECT count(*) AS movies, count(*) FILTER (WHERE release_year IS NULL) AS null_years, count(*) FILTER (WHERE title IS NULL) AS untitled FROM dim_movie')).toEqual([
      {movies: 17770, null_years: 7, untitled: 0},
    ]);
    expect(await t.query("SELECT movie_id, title, release_year FROM dim_movie WHERE title LIKE '%Caf%' AND movie_id = 6483")).toEqual([
      {movie_id: 6483, title: "Smokey Joe's Café", release_year: 2001},
    ]);
    expect(await t.query("SELECT count(*) AS with_comma FROM dim_movie WHERE title LIKE '%,%'")).toEqual([{with_comma: 336}]);
    expect(t.summary.rejectsByReason).toMatchObject({bad_movie_line: 0, duplicate_movie: 0});
  });

  it('keeps every rating line of the head of combined_data_1.txt (movies 1-20)', async () => {
    const source = join(REAL, 'kaggle-combined1-head', 'combined_data_1.txt');
    const t = await transform(dataFolder({'combined_data_1.txt': 'kaggle-combined1-head/combined_data_1.txt'}));
    expect(t.summary.tables.fact_ratings).toBe(ratingLines(source));
    expect(t.summary.tables.fact_ratings).toBe(42_813);
    expect(t.summary.tables.rejects).toBe(0);
    expect(await t.query('SELECT min(movie_id) AS first, max(movie_id) AS last, count(*) AS movies FROM dim_movie')).toEqual([{first: 1, last: 20, movies: 20}]);
    expect(t.summary.files[0]).toMatchObject({headers: 20, accepted: 42_813, rejected: 0, blankLines: 0});
  });

  it('reads the head of combined_data_4.txt whose last line has no newline', async () => {
    const source = join(REAL, 'kaggle-combined4-head', 'combined_data_4.txt');
    const t = await transform(dataFolder({'combined_data_4.txt': 'kaggle-combined4-head/combined_data_4.txt'}));
    expect(t.summary.tables.fact_ratings).toBe(ratingLines(source));
    expect(t.summary.files[0]).toMatchObject({headers: 11, rejected: 0});
    expect(await t.query('SELECT min(movie_id) AS first, max(movie_id) AS last FROM dim_movie')).toEqual([{first: 13368, last: 13378}]);
  });

  it('builds the same star schema from the training_set layout as from the Kaggle file it was split from', async () => {
    const kaggle = await transform(dataFolder({'combined_data_1.txt': 'kaggle-combined1-head/combined_data_1.txt'}));
    const split: Record<string, string> = {};
    for (let movie = 1; movie <= 20; movie++) {
      const name = `mv_${String(movie).padStart(7, '0')}.txt`;
      split[`training_set/${name}`] = `DERIVED-training-set-split-of-combined1-head/${name}`;
    }
    const training = await transform(dataFolder(split));
    expect(training.summary.files).toHaveLength(20);
    const star = 'SELECT m.movie_id, c.customer_id, f.rating, f.date_key, f.rating_key FROM fact_ratings f JOIN dim_movie m USING (movie_key) JOIN dim_customer c USING (customer_key) ORDER BY rating_key';
    expect(await training.query(star)).toEqual(await kaggle.query(star));
    expect(await training.query('SELECT * FROM dim_customer ORDER BY customer_key')).toEqual(await kaggle.query('SELECT * FROM dim_customer ORDER BY customer_key'));
  });

  it('reads truncated heads of original training_set files', async () => {
    const names = ['mv_0000001.txt', 'mv_0000024.txt', 'mv_0000076.txt', 'mv_0000131.txt', 'mv_0000358.txt', 'mv_0000544.txt', 'mv_0004234.txt'];
    const t = await transform(dataFolder(Object.fromEntries(names.map((n) => [`training_set/${n}`, `training-set-heads/${n}`]))), {maxRejectRate: 1});
    const expected = names.reduce((sum, n) => sum + ratingLines(join(REAL, 'training-set-heads', n)), 0);
    expect(t.summary.tables.fact_ratings).toBe(expected);
    expect(t.summary.tables.dim_movie).toBe(7);
  });
});
