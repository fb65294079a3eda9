import {copyFileSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync} from 'node:fs';
import {gzipSync} from 'node:zlib';
import {join} from 'node:path';
import {DuckDBInstance} from '@duckdb/node-api';
import fc from 'fast-check';
import {beforeAll, describe, expect, it} from 'vitest';
import {generateDataSet} from '../../src/generate/generate.js';
import {resolveGenerateOptions} from '../../src/generate/options.js';
import {fillSql, loadSql} from '../../src/sql.js';
import {runTransform, type TransformSummary} from '../../src/transforms/pipeline.js';
import {queryDuckDB} from '../helpers/duckdb.js';
import {tempDir} from '../helpers/tmp.js';
import {writeDataset} from './dataset.js';
import {naturalContents, surrogateKeys} from './equivalence.js';

/** Runs one statement on a DuckDB file, read-write (to make a warehouse look like an earlier nfx's). */
async function writeDuckDB(db: string, sql: string): Promise<void> {
  const instance = await DuckDBInstance.create(db);
  const connection = await instance.connect();
  await connection.run(sql);
  connection.closeSync();
  instance.closeSync();
}

const RATING_FILES = ['combined_data_1.txt', 'combined_data_2.txt', 'combined_data_3.txt', 'combined_data_4.txt'];
const TITLES = 'movie_titles.csv';
const PROBE = 'probe.txt';
const QUALIFYING = 'qualifying.txt';

async function generated(ratings: string, seed: string): Promise<string> {
  const out = join(tempDir('nfx-gen-'), 'data');
  await generateDataSet(resolveGenerateOptions({out, ratings, seed, dirty: true}));
  return out;
}

/** A folder holding `names` copied from `data`. */
function folderOf(data: string, names: string[]): string {
  const dir = tempDir('nfx-part-');
  for (const name of names) copyFileSync(join(data, name), join(dir, name));
  return dir;
}

const full = (dataDir: string, db: string): Promise<TransformSummary> => runTransform({dataDir, db, threads: 1, maxRejectRate: 1});
const append = (dataDir: string, db: string): Promise<TransformSummary> => runTransform({dataDir, db, threads: 1, maxRejectRate: 1, append: true});

/**
 * Loads `parts` one after another, the first by a full transform, the rest by appends; each part's folder
 * holds only its own files (`cumulative`: also every earlier part's, as when files are added to one folder).
 */
async function loadInParts(data: string, parts: string[][], cumulative = false): Promise<string> {
  const db = join(tempDir('nfx-db-'), 'netflix.duckdb');
  const seen: string[] = [];
  for (const [i, part] of parts.entries()) {
    seen.push(...part);
    const dir = folderOf(data, cumulative ? seen : part);
    await (i === 0 ? full(dir, db) : append(dir, db));
  }
  return db;
}

describe('nfx transform --append', () => {
  let data: string;
  let whole: Awaited<ReturnType<typeof naturalContents>>;

  beforeAll(async () => {
    data = await generated('20000', '11');
    const db = join(tempDir('nfx-db-'), 'netflix.duckdb');
    await full(data, db);
    whole = await naturalContents(db);
  }, 120_000);

  it('equals a full transform when the files arrive one by one, in path order, the probe file last', async () => {
    // qualifying.txt first: its pairs of the later files' customers are unknown_customer until they arrive
    const db = await loadInParts(data, [[RATING_FILES[0], TITLES, QUALIFYING], [RATING_FILES[1]], [RATING_FILES[2]], [RATING_FILES[3]], [PROBE]]);
    expect(await naturalContents(db)).toEqual(whole);
  }, 120_000);

  it('equals a full transform when later paths arrive first (new duplicates beat and lose to stored ones), probe.txt early', async () => {
    const db = await loadInParts(data, [[RATING_FILES[3], RATING_FILES[1], PROBE], [RATING_FILES[2], TITLES], [RATING_FILES[0], QUALIFYING]], true);
    const [replaced] = await queryDuckDB(db, "SELECT count(*) AS n FROM rejects WHERE reason = 'duplicate'");
    expect(replaced.n).toBeGreaterThan(0);
    expect(await naturalContents(db)).toEqual(whole);
  }, 120_000);

  it('equals a full transform by the large appends\' path too (staging file, competing lines read again from the new files)', async () => {
    process.env.NFX_SMALL_APPEND_BYTES = '0';
    try {
      const db = await loadInParts(data, [[RATING_FILES[3], RATING_FILES[1], PROBE], [RATING_FILES[2], TITLES], [RATING_FILES[0], QUALIFYING]], true);
      const [replaced] = await queryDuckDB(db, "SELECT count(*) AS n FROM rejects WHERE reason = 'duplicate'");
      expect(replaced.n).toBeGreaterThan(0);
      expect(await naturalContents(db)).toEqual(whole);
    } finally {
      delete process.env.NFX_SMALL_APPEND_BYTES;
    }
  }, 120_000);

  it('decides the probe and qualifying lines rejected against a smaller warehouse again, with the loaded file read again', async () => {
    const first = folderOf(data, [RATING_FILES[0], PROBE, QUALIFYING]);
    const db = join(tempDir('nfx-db-'), 'netflix.duckdb');
    await full(first, db);
    const [before] = await queryDuckDB(db, "SELECT count(*) FILTER (WHERE reason = 'probe_not_rated') AS unrated, count(*) FILTER (WHERE reason = 'unknown_customer' OR reason = 'unknown_movie') AS unknown FROM rejects");
    expect(before.unrated).toBeGreaterThan(0);
    expect(before.unknown).toBeGreaterThan(0);
    const summary = await append(folderOf(data, RATING_FILES.slice(1)), db);
    expect(summary.decidedAgain.map((f) => f.path)).toEqual([PROBE, QUALIFYING]);
    const full2 = join(tempDir('nfx-db-'), 'netflix.duckdb');
    await full(folderOf(data, [...RATING_FILES, PROBE, QUALIFYING]), full2);
    expect(await naturalContents(db)).toEqual(await naturalContents(full2));
    // the loaded probe file gone from both folders: the append cannot decide its lines again
    const other = join(tempDir('nfx-db-'), 'netflix.duckdb');
    await full(folderOf(data, [RATING_FILES[0], PROBE]), other);
    const [{data_dir: loadedFrom}] = await queryDuckDB(other, 'SELECT data_dir FROM etl_run');
    rmSync(join(String(loadedFrom), PROBE));
    const stored = readFileSync(other);
    await expect(append(folderOf(data, [RATING_FILES[1]]), other)).rejects.toMatchObject({exitCode: 2, message: expect.stringMatching(/probe\.txt \(loaded by run .*\) is in neither --data/)});
    expect(readFileSync(other).equals(stored)).toBe(true);
  }, 120_000);

  it('refuses a second probe or qualifying file with other bytes (exit 2): a warehouse holds one of each', async () => {
    const db = await loadInParts(data, [[RATING_FILES[0], PROBE]]);
    const dir = folderOf(data, [RATING_FILES[1]]);
    writeFileSync(join(dir, 'probe.txt.gz'), gzipSync(readFileSync(join(data, PROBE))));
    await expect(append(dir, db)).rejects.toMatchObject({exitCode: 2, message: expect.stringMatching(/holds probe\.txt already .* one probe file/)});
  }, 60_000);

  it('keeps every key of the first load and gives new members the next keys, densely', async () => {
    const db = join(tempDir('nfx-db-'), 'netflix.duckdb');
    await full(folderOf(data, [RATING_FILES[2], TITLES]), db);
    const before = await surrogateKeys(db);
    await append(folderOf(data, [RATING_FILES[0], RATING_FILES[1], RATING_FILES[3]]), db);
    const after = await surrogateKeys(db);
    for (const kind of ['movies', 'customers', 'ratings'] as const) {
      const keyOf = new Map(after[kind].map((r) => [JSON.stringify(Object.values(r).slice(0, -1)), Object.values(r).at(-1)]));
      for (const row of before[kind]) expect(keyOf.get(JSON.stringify(Object.values(row).slice(0, -1)))).toBe(Object.values(row).at(-1));
      const keys = after[kind].map((r) => Number(Object.values(r).at(-1))).sort((a, b) => a - b);
      expect(keys).toEqual(keys.map((_, i) => i + 1));
    }
  }, 120_000);

  it('skips files already loaded (same sha256, any path) and lists them', async () => {
    const db = await loadInParts(data, [[RATING_FILES[0], RATING_FILES[1], TITLES]]);
    const dir = folderOf(data, [RATING_FILES[0], RATING_FILES[2], TITLES]);
    copyFileSync(join(data, RATING_FILES[1]), join(dir, 'combined_data_9.txt'));
    const summary = await append(dir, db);
    expect(summary.mode).toBe('append');
    expect(summary.skippedFiles.map((f) => [f.path, f.loadedAs])).toEqual([
      [RATING_FILES[0], RATING_FILES[0]],
      ['combined_data_9.txt', RATING_FILES[1]],
      [TITLES, TITLES],
    ]);
    expect(summary.files.map((f) => f.path)).toEqual([RATING_FILES[2]]);
    const [run] = await queryDuckDB(db, "SELECT count(*) AS n FROM etl_run WHERE mode = 'append'");
    expect(run.n).toBe(1);
  }, 120_000);

  it('refuses a loaded file whose bytes changed (exit 2) and leaves the warehouse byte for byte as it was', async () => {
    const db = await loadInParts(data, [[RATING_FILES[0]]]);
    const stored = readFileSync(db);
    const dir = folderOf(data, [RATING_FILES[0], RATING_FILES[1]]);
    writeFileSync(join(dir, RATING_FILES[0]), `${readFileSync(join(dir, RATING_FILES[0]), 'latin1')}1,3,2005-01-01\n`, 'latin1');
    await expect(append(dir, db)).rejects.toMatchObject({exitCode: 2, message: expect.stringMatching(/combined_data_1\.txt was loaded before .* bytes changed/)});
    expect(readFileSync(db).equals(stored)).toBe(true);
    expect(readdirSync(join(db, '..'))).toEqual(['netflix.duckdb']);
  }, 120_000);

  it('overwrites a changed title or year of a known movie (type 1) and adds new movies, counting the changes', async () => {
    const first = writeDataset({'combined_data_1.txt': '1:\n5,3,2005-01-02\n2:\n6,4,2005-02-03\n', 'movie_titles.csv': '1,2001,Old One\n2,NULL,Two\n'});
    const db = join(tempDir('nfx-db-'), 'netflix.duckdb');
    await full(first, db);
    const second = writeDataset({'combined_data_1.txt': '1:\n5,3,2005-01-02\n2:\n6,4,2005-02-03\n', 'movie_titles.csv': '1,2002,New One\n2,NULL,Two\n3,1999,Three\n'});
    const summary = await append(second, db);
    expect(summary.titlesChanged).toBe(1);
    expect(await queryDuckDB(db, 'SELECT movie_key, movie_id, title, release_year FROM dim_movie ORDER BY movie_key')).toEqual([
      {movie_key: 1, movie_id: 1, title: 'New One', release_year: 2002},
      {movie_key: 2, movie_id: 2, title: 'Two', release_year: null},
      {movie_key: 3, movie_id: 3, title: 'Three', release_year: 1999},
    ]);
    const [agg] = await queryDuckDB(db, 'SELECT rating_count FROM agg_movie WHERE movie_key = 3');
    expect(agg.rating_count).toBe(0);
  }, 60_000);

  it('keeps a beaten stored rating\'s key and takes the new date and rating; the stored line becomes the duplicate', async () => {
    const first = writeDataset({'combined_data_2.txt': '7:\n5,3,2005-01-02\n6,1,2005-01-01\n'});
    const db = join(tempDir('nfx-db-'), 'netflix.duckdb');
    await full(first, db);
    // combined_data_1 sorts before combined_data_2: on the equal date the stored (later path) one wins
    const second = writeDataset({'combined_data_3.txt': '7:\n5,5,2005-03-04\n', 'combined_data_1.txt': '7:\n6,2,2005-01-01\n'});
    const summary = await append(second, db);
    expect(summary.storedRatingsReplaced).toBe(1);
    expect(await queryDuckDB(db, 'SELECT rating_key, customer_key, date_key, rating FROM fact_ratings ORDER BY rating_key')).toEqual([
      {rating_key: 1, customer_key: 1, date_key: 20050304, rating: 5},
      {rating_key: 2, customer_key: 2, date_key: 20050101, rating: 1},
    ]);
    expect(await queryDuckDB(db, 'SELECT source_file, line_number, reason, raw_line FROM rejects ORDER BY 1, 2')).toEqual([
      {source_file: 'combined_data_1.txt', line_number: 2, reason: 'duplicate', raw_line: '6,2,2005-01-01'},
      {source_file: 'combined_data_2.txt', line_number: 2, reason: 'duplicate', raw_line: '5,3,2005-01-02'},
    ]);
    const [customer] = await queryDuckDB(db, 'SELECT first_rating_date, last_rating_date, total_ratings, avg_rating FROM dim_customer WHERE customer_id = 5');
    expect(customer).toEqual({first_rating_date: '2005-03-04', last_rating_date: '2005-03-04', total_ratings: 1, avg_rating: 5});
    // the beaten rating was movie 7's last date and customer 5's only one: their dates are found again
    const [movie] = await queryDuckDB(db, 'SELECT rating_count, rating_sum, stars_1, stars_3, stars_5, first_rating_date, last_rating_date FROM agg_movie');
    expect(movie).toEqual({rating_count: 2, rating_sum: 6, stars_1: 1, stars_3: 0, stars_5: 1, first_rating_date: '2005-01-01', last_rating_date: '2005-03-04'});
    const all = writeDataset({'combined_data_2.txt': '7:\n5,3,2005-01-02\n6,1,2005-01-01\n', 'combined_data_3.txt': '7:\n5,5,2005-03-04\n', 'combined_data_1.txt': '7:\n6,2,2005-01-01\n'});
    const whole = join(tempDir('nfx-db-'), 'netflix.duckdb');
    await full(all, whole);
    expect(await naturalContents(db)).toEqual(await naturalContents(whole));
  }, 60_000);

  it('logs the stored fact rows it changed by key, and counts the rows it added (the keys above the stored ones)', async () => {
    const first = writeDataset({'combined_data_1.txt': '7:\n5,3,2005-01-02\n6,1,2005-01-01\n'});
    const db = join(tempDir('nfx-db-'), 'netflix.duckdb');
    await full(first, db);
    const summary = await append(writeDataset({'combined_data_2.txt': '7:\n5,5,2005-03-04\n8:\n5,2,2005-02-01\n9,4,2005-02-02\n'}), db);
    const log = await queryDuckDB(db, `SELECT table_name, row_key FROM nfx_change WHERE run_id = '${summary.runId}' AND table_name LIKE 'fact_ratings%' ORDER BY 1, 2`);
    expect(log).toEqual([
      {table_name: 'fact_ratings', row_key: 1},
      {table_name: 'fact_ratings_appended', row_key: 2},
    ]);
    const changed = await queryDuckDB(db, fillSql(loadSql('duckdb', 'export/changed_facts'), {runs: `'${summary.runId}'`}));
    expect(Object.values(changed[0]).map(Number)).toEqual([3]);
  }, 60_000);

  it('moves a first date off a beaten rating only when no other rating holds it, and widens the last date without a scan', async () => {
    // customer 5's and movie 7's first date is the beaten rating's alone; customer 6's first date has another rating
    const stored = {'combined_data_2.txt': '7:\n5,3,2005-01-02\n6,4,2005-02-01\n8:\n5,2,2005-02-10\n6,1,2005-02-01\n'};
    const added = {'combined_data_3.txt': '7:\n5,5,2005-03-04\n8:\n6,3,2005-04-01\n'};
    const db = join(tempDir('nfx-db-'), 'netflix.duckdb');
    await full(writeDataset(stored), db);
    expect((await append(writeDataset(added), db)).storedRatingsReplaced).toBe(2);
    expect(await queryDuckDB(db, 'SELECT customer_id, first_rating_date, last_rating_date, total_ratings, avg_rating FROM dim_customer ORDER BY 1')).toEqual([
      {customer_id: 5, first_rating_date: '2005-02-10', last_rating_date: '2005-03-04', total_ratings: 2, avg_rating: 3.5},
      {customer_id: 6, first_rating_date: '2005-02-01', last_rating_date: '2005-04-01', total_ratings: 2, avg_rating: 3.5},
    ]);
    expect(await queryDuckDB(db, 'SELECT m.movie_id, a.first_rating_date, a.last_rating_date FROM agg_movie AS a JOIN dim_movie AS m USING (movie_key) ORDER BY 1')).toEqual([
      {movie_id: 7, first_rating_date: '2005-02-01', last_rating_date: '2005-03-04'},
      {movie_id: 8, first_rating_date: '2005-02-10', last_rating_date: '2005-04-01'},
    ]);
    const whole = join(tempDir('nfx-db-'), 'netflix.duckdb');
    await full(writeDataset({...stored, ...added}), whole);
    expect(await naturalContents(db)).toEqual(await naturalContents(whole));
  }, 60_000);

  describe('reading a beaten stored rating\'s line again, from its movie block alone', () => {
    // movie 7's block has CRLF endings; the new combined_data_3 beats customer 5's stored rating of movie 7
    const STORED = '7:\r\n5,3,2005-01-02\r\n6,1,2005-01-01\r\n8:\n1,2,2005-01-01\n2,3,2005-01-01\n9:\n6,1,2005-01-01\n';
    const NEW = {'combined_data_3.txt': '7:\n5,5,2005-03-04\n9:\n6,2,2004-01-01\n'};

    async function loaded(stored: Record<string, string | Buffer>): Promise<{db: string; dir: string; expected: Awaited<ReturnType<typeof naturalContents>>}> {
      const dir = writeDataset(stored);
      const db = join(tempDir('nfx-db-'), 'netflix.duckdb');
      await full(dir, db);
      const whole = join(tempDir('nfx-db-'), 'netflix.duckdb');
      await full(writeDataset({...stored, ...NEW}), whole);
      return {db, dir, expected: await naturalContents(whole)};
    }

    it('reads only the blocks of the movies it needs, with their true line numbers', async () => {
      const {db, expected} = await loaded({'combined_data_2.txt': STORED});
      const summary = await append(writeDataset(NEW), db);
      expect(summary.storedRatingsReplaced).toBe(1);
      expect(summary.storedReread).toEqual({blocks: 1, blockBytes: 36, hashedFiles: 0, wholeFiles: 0});
      expect(await naturalContents(db)).toEqual(expected);
      expect(await queryDuckDB(db, "SELECT line_number, raw_line FROM rejects WHERE source_file = 'combined_data_2.txt'")).toEqual([{line_number: 2, raw_line: '5,3,2005-01-02'}]);
      expect(await queryDuckDB(db, 'SELECT path, movie_id, byte_offset, line_number FROM nfx_movie_block ORDER BY path, byte_offset')).toEqual([
        {path: 'combined_data_2.txt', movie_id: 7, byte_offset: 0, line_number: 1},
        {path: 'combined_data_2.txt', movie_id: 8, byte_offset: 36, line_number: 4},
        {path: 'combined_data_2.txt', movie_id: 9, byte_offset: 69, line_number: 7},
        {path: 'combined_data_3.txt', movie_id: 7, byte_offset: 0, line_number: 1},
        {path: 'combined_data_3.txt', movie_id: 9, byte_offset: 18, line_number: 3},
      ]);
    }, 60_000);

    it('hashes a loaded file whose modification time changed, and goes on when its bytes are the loaded ones', async () => {
      const {db, dir, expected} = await loaded({'combined_data_2.txt': STORED});
      utimesSync(join(dir, 'combined_data_2.txt'), new Date('2030-01-01T00:00:00Z'), new Date('2030-01-01T00:00:00Z'));
      expect((await append(writeDataset(NEW), db)).storedReread).toEqual({blocks: 1, blockBytes: 36, hashedFiles: 1, wholeFiles: 0});
      expect(await naturalContents(db)).toEqual(expected);
    }, 60_000);

    it('reads the whole file where the warehouse has no blocks (an earlier nfx) or the file is gzip', async () => {
      const plain = await loaded({'combined_data_2.txt': STORED});
      await writeDuckDB(plain.db, 'DROP TABLE nfx_movie_block');
      expect((await append(writeDataset(NEW), plain.db)).storedReread).toEqual({blocks: 0, blockBytes: 0, hashedFiles: 0, wholeFiles: 1});
      expect(await naturalContents(plain.db)).toEqual(plain.expected);
      expect(await queryDuckDB(plain.db, 'SELECT DISTINCT path FROM nfx_movie_block')).toEqual([{path: 'combined_data_3.txt'}]);
      const gzip = await loaded({'combined_data_2.txt.gz': gzipSync(Buffer.from(STORED, 'latin1'))});
      expect((await append(writeDataset(NEW), gzip.db)).storedReread).toEqual({blocks: 0, blockBytes: 0, hashedFiles: 0, wholeFiles: 1});
      expect(await naturalContents(gzip.db)).toEqual(gzip.expected);
    }, 60_000);

    it('refuses (exit 2) a loaded file whose beaten line changed in place, and leaves the warehouse as it was', async () => {
      const {db, dir} = await loaded({'combined_data_2.txt': STORED});
      writeFileSync(join(dir, 'combined_data_2.txt'), STORED.replace('5,3,2005-01-02', '5,4,2005-01-02'), 'latin1');
      const before = readFileSync(db);
      await expect(append(writeDataset(NEW), db)).rejects.toMatchObject({exitCode: 2, message: expect.stringMatching(/combined_data_2\.txt has other bytes than when it was loaded .* changed since it was loaded/)});
      expect(readFileSync(db).equals(before)).toBe(true);
      // the same size and lines in another place: line numbers found in the block would be wrong
      writeFileSync(join(dir, 'combined_data_2.txt'), STORED.replace('7:\r\n', '7:\n\n'), 'latin1');
      await expect(append(writeDataset(NEW), db)).rejects.toMatchObject({exitCode: 2, message: expect.stringContaining('has other bytes than when it was loaded')});
      expect(readFileSync(db).equals(before)).toBe(true);
    }, 60_000);
  });

  it('refuses a --db that does not exist or is not an nfx warehouse (exit 2)', async () => {
    const dir = folderOf(data, [RATING_FILES[0]]);
    const missing = join(tempDir('nfx-db-'), 'none.duckdb');
    await expect(append(dir, missing)).rejects.toMatchObject({exitCode: 2, message: expect.stringContaining('does not exist')});
    const other = join(tempDir('nfx-db-'), 'other.txt');
    writeFileSync(other, 'not a database');
    await expect(append(dir, other)).rejects.toMatchObject({exitCode: 2});
    const earlier = await loadInParts(data, [[RATING_FILES[1]]]);
    await writeDuckDB(earlier, 'ALTER TABLE etl_run DROP COLUMN mode');
    await expect(append(dir, earlier)).rejects.toMatchObject({exitCode: 2, message: expect.stringContaining('built by an earlier nfx')});
  }, 60_000);

  it('equals a full transform for random splits of the files into appends (property)', async () => {
    const small = await generated('6000', '23');
    const db = join(tempDir('nfx-db-'), 'netflix.duckdb');
    await full(small, db);
    const expected = await naturalContents(db);
    const names = [...RATING_FILES, TITLES, PROBE, QUALIFYING];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({min: 0, max: 3}), {minLength: names.length, maxLength: names.length}), fc.boolean(), async (groups, cumulative) => {
        const parts = [0, 1, 2, 3].map((g) => names.filter((_, i) => groups[i] === g)).filter((p) => p.length > 0);
        if (!parts[0].some((n) => RATING_FILES.includes(n))) return;
        expect(await naturalContents(await loadInParts(small, parts, cumulative))).toEqual(expected);
      }),
      {numRuns: 8, seed: 19},
    );
  }, 600_000);
});
