import {spawn} from 'node:child_process';
import {copyFileSync, readdirSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {generatedWarehouse, holdDuckDBLock, notAWarehouse, ratingsInFiles, tally, type GeneratedWarehouse} from '../analysis/fixtures.js';
import {NFX_BIN, REPO_ROOT, runNfx} from '../helpers/cli.js';
import {tempDir} from '../helpers/tmp.js';
import {runReport} from '../analysis/run-report.js';
import {transform} from '../transform/dataset.js';
import {sha256} from '../helpers/sha256.js';

// Titles with commas and double quotes, as the real movie_titles file has them (split on the first two commas only).
const titled = {
  'combined_data_1.txt': '1:\n5,3,2005-01-01\n6,4,2005-01-02\n2:\n5,5,2005-02-01\n3:\n7,1,2005-03-01\n',
  'movie_titles.csv': '1,2003,Crash, Bang, Wallop\n2,1999,They Call Me "Lost Highway"\n3,NULL,Say "Hi", Then Go\n',
};

let generated: GeneratedWarehouse;
let small: string;
beforeAll(async () => {
  generated = await generatedWarehouse({ratings: '20000', seed: '9'});
  ({db: small} = await transform(titled));
});

const query = (args: string[], env: Record<string, string> = {}) => runNfx(['query', '--db', small, ...args], {env});
const perMovieCounts = (warehouse: GeneratedWarehouse) =>
  [...tally(ratingsInFiles(warehouse.data), (r) => r.movieId).entries()].sort(([a, x], [b, y]) => y.ratings - x.ratings || a - b);

describe('nfx query (CLI)', () => {
  it('--report top-movies matches the ratings counted line by line in the generated files', async () => {
    const perMovie = perMovieCounts(generated);
    const result = await runNfx(['query', '--db', generated.db, '--report', 'top-movies', '--param', 'limit=3', '--format', 'json']);
    expect(result.code).toBe(0);
    const rows = result.json<{rank: number; movie_id: number; ratings: number; avg_rating: number}[]>();
    expect(rows.map((r) => [r.rank, r.movie_id, r.ratings])).toEqual(perMovie.slice(0, 3).map(([id, t], i) => [i + 1, id, t.ratings]));
    for (const [i, [, t]] of perMovie.slice(0, 3).entries()) expect(rows[i].avg_rating).toBeCloseTo(t.sum / t.ratings, 4);
  });

  it('prints an aligned table that fits the width, cutting long cells with …', async () => {
    const result = await query(['SELECT movie_id, title, release_year FROM dim_movie ORDER BY movie_id'], {COLUMNS: '34'});
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        'movie_id  title       release_year',
        '--------  ----------  ------------',
        '       1  Crash, Ba…          2003',
        '       2  They Call…          1999',
        '       3  Say "Hi",…',
        '(3 rows)',
        '',
      ].join('\n'),
    );
  });

  it('--format csv quotes fields with commas and double quotes (RFC 4180) and leaves NULL empty', async () => {
    const result = await query(['--format', 'csv', 'SELECT movie_id, title, release_year FROM dim_movie ORDER BY movie_id']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'movie_id,title,release_year\n1,"Crash, Bang, Wallop",2003\n2,"They Call Me ""Lost Highway""",1999\n3,"Say ""Hi"", Then Go",\n',
    );
  });

  it('--format json prints an array of objects, one per line; --json does the same', async () => {
    const sql = 'SELECT movie_id, title, release_year, count(*) AS ratings FROM dim_movie JOIN fact_ratings USING (movie_key) GROUP BY ALL ORDER BY movie_id';
    const expected = [
      {movie_id: 1, title: 'Crash, Bang, Wallop', release_year: 2003, ratings: 2},
      {movie_id: 2, title: 'They Call Me "Lost Highway"', release_year: 1999, ratings: 1},
      {movie_id: 3, title: 'Say "Hi", Then Go', release_year: null, ratings: 1},
    ];
    for (const args of [['--format', 'json'], ['--json']]) {
      const result = await query([...args, sql]);
      expect(result.code).toBe(0);
      expect(result.json()).toEqual(expected);
      expect(result.stdout.split('\n')).toHaveLength(expected.length + 3);
    }
    const empty = await query(['--format', 'json', 'SELECT 1 AS one WHERE false']);
    expect(empty.json()).toEqual([]);
  });

  it('--format ndjson prints one object per line', async () => {
    const result = await query(['--format', 'ndjson', 'SELECT date_actual, rating FROM fact_ratings JOIN dim_date USING (date_key) ORDER BY rating_key LIMIT 2']);
    expect(result.stdout).toBe('{"date_actual":"2005-01-01","rating":3}\n{"date_actual":"2005-01-02","rating":4}\n');
  });

  it('--report movie takes its id as a bound parameter', async () => {
    const result = await query(['--report', 'movie', '--param', 'id=1', '--format', 'csv']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('movie_id,title,release_year,month,ratings,avg_rating,total_ratings,total_avg_rating\n1,"Crash, Bang, Wallop",2003,2005-01,2,3.5,2,3.5\n');
  });

  it('--report similar-movies prints what the report gives in-process, and refuses an id that names nothing', async () => {
    const top = perMovieCounts(generated)[0][0];
    const result = await runNfx(['query', '--db', generated.db, '--report', 'similar-movies', '--param', `id=${top}`, '--param', 'limit=3', '--json']);
    expect(result.code).toBe(0);
    expect(result.json()).toEqual(await runReport(generated.db, 'similar-movies', {id: String(top), limit: '3'}));
    const unknown = await runNfx(['query', '--db', generated.db, '--report', 'similar-movies', '--param', 'id=999999']);
    expect([unknown.code, unknown.stdout, unknown.stderr]).toEqual([2, '', 'nfx: error: --param id=999999: no movie with movie_id 999999 in the warehouse\n']);
  });

  it.each([['similar-movies'], ['similar-customers'], ['movie']])('--report %s takes a hostile id as a value and refuses it, leaving the file as it was', async (report) => {
    const dir = tempDir('nfx-query-');
    const db = join(dir, 'netflix.duckdb');
    copyFileSync(small, db);
    const digest = sha256(db);
    const result = await runNfx(['query', '--db', db, '--report', report, '--param', 'id=1; DROP TABLE fact_ratings']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^nfx: error: --param id=1; DROP TABLE fact_ratings is not an integer; report .*\n$/);
    expect(sha256(db)).toBe(digest);
  });

  it('reads the SQL from standard input when it is -', async () => {
    const result = await new Promise<{code: number | null; stdout: string}>((resolve) => {
      const child = spawn(process.execPath, [NFX_BIN, 'query', '--db', small, '--format', 'csv', '-'], {cwd: REPO_ROOT});
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.on('close', (code) => resolve({code, stdout}));
      child.stdin.end('SELECT count(*) AS n FROM fact_ratings;\n');
    });
    expect(result).toEqual({code: 0, stdout: 'n\n4\n'});
  });

  it('streams a large result in csv and json, every row once', async () => {
    const csv = await query(['--format', 'csv', "SELECT range AS n, repeat('x', 60) AS padding FROM range(250000)"]);
    expect(csv.code).toBe(0);
    expect(csv.stderr).toBe('');
    const lines = csv.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(250001);
    expect([lines[1], lines.at(-1)]).toEqual([`0,${'x'.repeat(60)}`, `249999,${'x'.repeat(60)}`]);
    const json = await query(['--format', 'json', 'SELECT range AS n FROM range(250000)']);
    expect(json.stderr).toBe('');
    const rows = json.json<{n: number}[]>();
    expect(rows).toHaveLength(250000);
    expect(rows.reduce((sum, r) => sum + r.n, 0)).toBe((249999 * 250000) / 2);
  });

  it('stops quietly when the reader goes away (| head)', async () => {
    const result = await new Promise<{code: number | null; stderr: string}>((resolve) => {
      const child = spawn(process.execPath, [NFX_BIN, 'query', '--db', small, '--format', 'csv', 'SELECT range FROM range(100000000)'], {cwd: REPO_ROOT});
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.once('data', () => child.stdout.destroy());
      child.on('close', (code) => resolve({code, stderr}));
    });
    expect(result).toEqual({code: 0, stderr: ''});
  });

  it.each([
    ['DELETE FROM fact_ratings', /not DELETE statements/],
    ['DROP TABLE fact_ratings', /not DROP statements/],
    ['CREATE TABLE copy AS SELECT * FROM fact_ratings', /not CREATE statements/],
    ["COPY fact_ratings TO '{dir}/out.csv'", /cannot read or write any other file/],
    ["COPY (SELECT * FROM dim_movie) TO '{dir}/out.parquet' (FORMAT parquet)", /cannot read or write any other file/],
    ["ATTACH '{dir}/other.duckdb' AS other", /cannot read or write any other file|not ATTACH statements/],
    ['SELECT 1; DELETE FROM fact_ratings', /one statement at a time/],
  ])('refuses %s with one line and exit code 2, leaving every file as it was', async (template, message) => {
    const dir = tempDir('nfx-query-');
    const db = join(dir, 'netflix.duckdb');
    copyFileSync(small, db);
    const digest = sha256(db);
    const result = await runNfx(['query', '--db', db, template.replaceAll('{dir}', dir)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stdout).toBe('');
    expect(sha256(db)).toBe(digest);
    expect(readdirSync(dirname(db))).toEqual(['netflix.duckdb']);
  });

  it('answers --json with an error object when it refuses', async () => {
    const result = await query(['--json', 'DELETE FROM fact_ratings']);
    expect(result.code).toBe(2);
    expect(result.json()).toEqual({error: {message: 'refused: nfx query is read-only and runs only SELECT queries, not DELETE statements', exitCode: 2}});
  });

  it.each([
    [['--report', 'nope'], 'nfx: error: unknown report "nope"; the reports are: avg-by-year, by-release-year, cold-start, customer-trends, monthly-volume, movie, probe-baselines, rating-distribution, similar-customers, similar-movies, top-movies, top-rated-by-year (see nfx query --help)'],
    [['--report', 'movie'], 'nfx: error: report movie needs --param id=<integer> (the movie_id (as in the input files))'],
    [['--report', 'top-movies', '--param', 'limit=ten'], 'nfx: error: --param limit=ten is not an integer; report top-movies expects how many movies to list'],
    [['--report', 'top-movies', 'SELECT 1'], 'nfx: error: pass either SQL or --report NAME, not both'],
    [[], 'nfx: error: pass a SELECT statement, or --report NAME with NAME one of avg-by-year, by-release-year, cold-start, customer-trends, monthly-volume, movie, probe-baselines, rating-distribution, similar-customers, similar-movies, top-movies, top-rated-by-year'],
    [['SELECT * FROM ratings'], /^nfx: error: SQL error: Catalog Error: Table with name ratings does not exist!/],
    [['SELECT $x', '--param', 'y=1'], 'nfx: error: --param y: the query has no parameter $y; its parameters are $x'],
  ])('refuses %j with exit code 2 and one line', async (args, message) => {
    const result = await query(args);
    expect(result.code).toBe(2);
    if (typeof message === 'string') expect(result.stderr).toBe(`${message}\n`);
    else expect(result.stderr).toMatch(message);
  });

  it.each([['missing'], ['text'], ['other-duckdb']] as const)('refuses a %s file with exit code 2', async (kind) => {
    const result = await runNfx(['query', '--db', await notAWarehouse(kind), 'SELECT 1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^nfx: error: .*(not found|not a DuckDB database file|not an nfx warehouse)/);
  });

  it('refuses a locked file with exit code 2', async () => {
    const db = join(tempDir('nfx-lock-'), 'netflix.duckdb');
    copyFileSync(small, db);
    const lock = await holdDuckDBLock(db);
    try {
      const result = await runNfx(['query', '--db', db, 'SELECT 1']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/is in use by another process/);
    } finally {
      await lock.release();
    }
  });
});
