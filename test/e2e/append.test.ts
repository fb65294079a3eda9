import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {runNfx} from '../helpers/cli.js';
import {queryDuckDB} from '../helpers/duckdb.js';
import {sha256} from '../helpers/sha256.js';
import {tempDir} from '../helpers/tmp.js';
import {writeDataset} from '../transform/dataset.js';

const first = {'combined_data_1.txt': '1:\n5,3,2005-01-01\n6,4,2005-01-02\n', 'movie_titles.csv': '1,2003,One\n'};

describe('nfx transform --append (CLI)', () => {
  it('adds the new file, lists the loaded ones as skipped in --json, and records an append run', async () => {
    const data = writeDataset(first);
    const db = join(tempDir('nfx-e2e-'), 'netflix.duckdb');
    expect((await runNfx(['transform', '--data', data, '--db', db, '--quiet'])).code).toBe(0);
    writeFileSync(join(data, 'combined_data_2.txt'), '2:\n5,5,2006-03-04\n');
    const run = await runNfx(['transform', '--append', '--data', data, '--db', db, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const summary = run.json<{mode: string; skippedFiles: {path: string}[]; files: {path: string}[]; tables: Record<string, number>}>();
    expect(summary.mode).toBe('append');
    expect(summary.skippedFiles.map((f) => f.path)).toEqual(['combined_data_1.txt', 'movie_titles.csv']);
    expect(summary.files.map((f) => f.path)).toEqual(['combined_data_2.txt']);
    expect(summary.tables).toMatchObject({dim_movie: 2, dim_customer: 2, fact_ratings: 3, dim_date: 730});
    expect(await queryDuckDB(db, 'SELECT mode FROM etl_run ORDER BY started_at')).toEqual([{mode: 'full'}, {mode: 'append'}]);
  });

  it('refuses a loaded file whose bytes changed with exit 2, one line, and the warehouse unchanged', async () => {
    const data = writeDataset(first);
    const db = join(tempDir('nfx-e2e-'), 'netflix.duckdb');
    expect((await runNfx(['transform', '--data', data, '--db', db, '--quiet'])).code).toBe(0);
    const digest = sha256(db);
    writeFileSync(join(data, 'combined_data_1.txt'), '1:\n5,3,2005-01-01\n6,4,2005-01-03\n');
    const run = await runNfx(['transform', '--append', '--data', data, '--db', db]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/combined_data_1\.txt was loaded before .* bytes changed/);
    expect(sha256(db)).toBe(digest);
  });

  it('refuses a --db that does not exist with exit 2', async () => {
    const run = await runNfx(['transform', '--append', '--data', writeDataset(first), '--db', join(tempDir('nfx-e2e-'), 'none.duckdb')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/does not exist; --append adds files to a warehouse/);
  });
});
