import {existsSync, readdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {gzipSync} from 'node:zlib';
import {describe, expect, it} from 'vitest';
import {runNfx} from '../helpers/cli.js';
import {queryDuckDB} from '../helpers/duckdb.js';
import {tempDir} from '../helpers/tmp.js';
import {writeDataset} from '../transform/dataset.js';
import {sha256} from '../helpers/sha256.js';

const good = {'combined_data_1.txt': '1:\n5,3,2005-01-01\n6,4,2005-01-02\n', 'movie_titles.csv': '1,2003,One\n'};

/** A folder with a finished warehouse in it, to check that failed runs leave it alone. */
async function existingWarehouse(): Promise<{dir: string; db: string; digest: string}> {
  const dir = tempDir('nfx-e2e-');
  const db = join(dir, 'netflix.duckdb');
  const first = await runNfx(['transform', '--data', writeDataset(good), '--db', db, '--quiet']);
  expect(first.code).toBe(0);
  return {dir, db, digest: sha256(db)};
}

function onlyWarehouse(dir: string): void {
  expect(readdirSync(dir)).toEqual(['netflix.duckdb']);
}

describe('nfx transform (CLI)', () => {
  it('prints a summary with table counts and rejects, and --json gives one parseable object', async () => {
    const dir = tempDir('nfx-e2e-');
    const db = join(dir, 'w.duckdb');
    const human = await runNfx(['transform', '--data', writeDataset(good), '--db', db]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/fact_ratings\s+2\n/);
    expect(human.stdout).toMatch(/rejects: none/);
    expect(human.stdout).toMatch(/line accounting: ok/);
    const json = await runNfx(['transform', '--data', writeDataset(good), '--db', db, '--json']);
    expect(json.code).toBe(0);
    const summary = json.json<{tables: Record<string, number>; rejectsByReason: Record<string, number>; files: unknown[]; stages: Record<string, number>}>();
    expect(summary.tables).toEqual({dim_date: 365, dim_movie: 1, dim_customer: 2, fact_ratings: 2, fact_qualifying: 0, rejects: 0});
    expect(summary.rejectsByReason.bad_date).toBe(0);
    expect(summary.files).toHaveLength(2);
    expect(Object.keys(summary.stages)).toContain('fact_ratings');
  });

  it('loads probe.txt and qualifying.txt, and says what came of them in the summary and in --json', async () => {
    const data = writeDataset({...good, 'probe.txt': '1:\n5\n7\n', 'qualifying.txt.gz': gzipSync(Buffer.from('1:\n6,2005-06-01\n9,2005-06-01\n'))});
    const dir = tempDir('nfx-e2e-');
    const human = await runNfx(['transform', '--data', data, '--db', join(dir, 'w.duckdb'), '--max-reject-rate', '1']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/fact_qualifying\s+1\n/);
    expect(human.stdout).toContain('probe: probe.txt, 1 ratings flagged is_probe, 1 lines rejected');
    expect(human.stdout).toContain('qualifying: qualifying.txt.gz, 1 pairs in fact_qualifying, 1 lines rejected');
    expect(human.stdout).toMatch(/probe_not_rated\s+1\n/);
    expect(human.stdout).toMatch(/unknown_customer\s+1\n/);
    const json = await runNfx(['transform', '--data', data, '--db', join(dir, 'w.duckdb'), '--json']);
    const summary = json.json<{probeRatings: number; tables: Record<string, number>; files: {path: string; kind: string}[]}>();
    expect(summary).toMatchObject({probeRatings: 1, tables: {fact_qualifying: 1, fact_ratings: 2}});
    expect(summary.files.map((f) => [f.path, f.kind])).toEqual([
      ['combined_data_1.txt', 'ratings'],
      ['probe.txt', 'probe'],
      ['qualifying.txt.gz', 'qualifying'],
      ['movie_titles.csv', 'titles'],
    ]);
  });

  it('reads --db from NFX_DB and --data from NFX_DATA', async () => {
    const dir = tempDir('nfx-e2e-');
    const result = await runNfx(['transform', '--quiet'], {env: {NFX_DATA: writeDataset(good), NFX_DB: join(dir, 'env.duckdb')}});
    expect(result.code).toBe(0);
    expect(await queryDuckDB(join(dir, 'env.duckdb'), 'SELECT count(*) AS n FROM fact_ratings')).toEqual([{n: 2}]);
  });

  it('fails with exit code 3 above --max-reject-rate, names the reasons, and leaves the old file untouched', async () => {
    const {dir, db, digest} = await existingWarehouse();
    const bad = writeDataset({'combined_data_1.txt': '1:\n5,3,2005-01-01\n5,9,2005-01-01\nx,3,2005-01-01\n'});
    const result = await runNfx(['transform', '--data', bad, '--db', db, '--max-reject-rate', '0.4', '--quiet']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/2 of 4 rating lines rejected .*bad_rating 1, bad_customer_id 1.*combined_data_1\.txt:3 bad_rating/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(sha256(db)).toBe(digest);
    onlyWarehouse(dir);
    const json = await runNfx(['transform', '--data', bad, '--db', db, '--max-reject-rate', '0.1', '--json']);
    expect(json.code).toBe(3);
    expect(json.json<{error: {exitCode: number; details: {byReason: Record<string, number>}}}>().error).toMatchObject({exitCode: 3, details: {byReason: {bad_rating: 1, bad_customer_id: 1}}});
  });

  it('lists rating lines, not title lines, as the first examples of a failed --max-reject-rate (title rejects do not count)', async () => {
    const bad = writeDataset({
      'movie_titles.txt': 'x,2003,Bad id\n1,20x3,Bad year\n1,2003,One\n',
      'training_set/mv_0000001.txt': '1:\n5,3,2005-01-01\n5,9,2005-01-01\n',
    });
    const result = await runNfx(['transform', '--data', bad, '--db', join(tempDir('nfx-e2e-'), 'w.duckdb'), '--max-reject-rate', '0.1', '--quiet']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^nfx: error: 1 of 3 rating lines rejected \(33\.33% > --max-reject-rate 0\.1\): bad_rating 1; first: training_set\/mv_0000001\.txt:3 bad_rating "5,9,2005-01-01"\. Nothing was written/);
  });

  it.each([
    ['a missing data folder', (dir: string) => join(dir, 'nope'), /data directory not found: .*nope/],
    ['an empty data folder', () => tempDir('nfx-empty-'), /no rating files in .*nfx-empty-.*: looked for combined_data_\*\.txt/],
    [
      'a folder without rating files',
      (dir: string) => writeDataset({'movie_titles.csv': '1,2003,One\n', 'README.txt': 'hello'}),
      /no rating files in .*: looked for combined_data_\*\.txt\[\.gz\] and training_set\/mv_\*\.txt/,
    ],
    [
      'a truncated .gz file',
      () => writeDataset({'combined_data_1.txt.gz': gzipSync(Buffer.from('1:\n5,3,2005-01-01\n'.repeat(1000))).subarray(0, 60)}),
      /combined_data_1\.txt\.gz is not a valid gzip file/,
    ],
    ['a .gz file that is not gzip', () => writeDataset({'combined_data_1.txt.gz': '1:\n5,3,2005-01-01\n'}), /combined_data_1\.txt\.gz is not a valid gzip file/],
    [
      'a titles file that is not text',
      () => writeDataset({'combined_data_1.txt': '1:\n5,3,2005-01-01\n', 'movie_titles.csv': Buffer.from([0x31, 0x2c, 0x00, 0x01, 0x02, 0x0a])}),
      /movie_titles\.csv is not a text file \(a NUL byte on line 1\)/,
    ],
    ['both plain and .gz of one file', () => writeDataset({'combined_data_1.txt': '1:\n', 'combined_data_1.txt.gz': gzipSync('1:\n')}), /holds both combined_data_1\.txt and combined_data_1\.txt\.gz/],
  ])('refuses %s with exit code 2, one line, and nothing written', async (_name, makeData, message) => {
    const {dir, db, digest} = await existingWarehouse();
    const result = await runNfx(['transform', '--data', makeData(dir), '--db', db, '--quiet']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(sha256(db)).toBe(digest);
    onlyWarehouse(dir);
  });

  it('prints a user error as one plain line, without a stack trace, also when not --quiet', async () => {
    const result = await runNfx(['transform', '--data', '/nonexistent/netflix']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('nfx: error: data directory not found: /nonexistent/netflix (pass --data with the folder that holds the Netflix Prize files)\n');
  });

  it('refuses bad flag values with exit code 2', async () => {
    const data = writeDataset(good);
    for (const args of [
      ['--date-from', '2005-02-30'],
      ['--max-reject-rate', '2'],
      ['--titles-encoding', 'ebcdic'],
      ['--threads', '0'],
      ['--memory-limit', 'lots'],
    ]) {
      const dir = tempDir('nfx-e2e-');
      const result = await runNfx(['transform', '--data', data, '--db', join(dir, 'x.duckdb'), '--quiet', ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(readdirSync(dir), args.join(' ')).toEqual([]);
    }
  });

  it('leaves the previous file intact when killed with SIGKILL mid-run, and the next run cleans up', async () => {
    const {dir, db, digest} = await existingWarehouse();
    const data = tempDir('nfx-big-');
    const lines = ['1:'];
    for (let c = 1; c <= 400_000; c++) lines.push(`${c},${(c % 5) + 1},2005-01-${String((c % 28) + 1).padStart(2, '0')}`);
    writeFileSync(join(data, 'combined_data_1.txt'), `${lines.join('\n')}\n`);
    const killed = await runNfx(['transform', '--data', data, '--db', db], {
      onSpawn: (child) => {
        // kill once the build file exists, i.e. mid-run
        const timer = setInterval(() => {
          if (readdirSync(dir).some((name) => name.includes('.nfx-tmp-'))) {
            clearInterval(timer);
            setTimeout(() => child.kill('SIGKILL'), 150);
          }
        }, 10);
        child.on('close', () => clearInterval(timer));
      },
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(sha256(db)).toBe(digest);
    expect(await queryDuckDB(db, 'SELECT count(*) AS n FROM fact_ratings')).toEqual([{n: 2}]);
    const next = await runNfx(['transform', '--data', data, '--db', db, '--quiet']);
    expect(next.code).toBe(0);
    onlyWarehouse(dir);
    expect(await queryDuckDB(db, 'SELECT count(*) AS n FROM fact_ratings')).toEqual([{n: 400_000}]);
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('leaves the previous file intact on %s and exits %i', async (signal, code) => {
    const {dir, db, digest} = await existingWarehouse();
    const data = tempDir('nfx-big-');
    const lines = ['1:'];
    for (let c = 1; c <= 400_000; c++) lines.push(`${c},3,2005-01-01`);
    writeFileSync(join(data, 'combined_data_1.txt'), `${lines.join('\n')}\n`);
    const interrupted = await runNfx(['transform', '--data', data, '--db', db], {
      onSpawn: (child) => {
        const timer = setInterval(() => {
          if (readdirSync(dir).some((name) => name.includes('.nfx-tmp-'))) {
            clearInterval(timer);
            child.kill(signal);
          }
        }, 5);
        child.on('close', () => clearInterval(timer));
      },
    });
    expect(interrupted.code).toBe(code);
    expect(interrupted.stderr).toMatch(new RegExp(`nfx: error: interrupted by ${signal}; .* was left as it was`));
    expect(sha256(db)).toBe(digest);
    onlyWarehouse(dir);
  });

  it('explains every flag in --help', async () => {
    const help = await runNfx(['transform', '--help']);
    expect(help.code).toBe(0);
    for (const flag of ['--data', '--db', '--threads', '--memory-limit', '--max-reject-rate', '--titles-encoding', '--date-from', '--date-to', '--json', '--quiet', '--log-file']) {
      expect(help.stdout).toContain(flag);
    }
    expect(existsSync(join(tempDir(), 'netflix.duckdb'))).toBe(false);
  });
});
