import {copyFileSync, existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import type {WarehouseInspection} from '../../src/analysis/inspect.js';
import {generatedWarehouse, holdDuckDBLock, notAWarehouse, type GeneratedWarehouse} from '../analysis/fixtures.js';
import {runNfx} from '../helpers/cli.js';
import {tempDir} from '../helpers/tmp.js';

let warehouse: GeneratedWarehouse;
let expected: {fact_ratings: number; rejects_by_reason: Record<string, number>; movies_without_title: number};
beforeAll(async () => {
  warehouse = await generatedWarehouse({ratings: '20000', seed: '5', dirty: true});
  expected = JSON.parse(readFileSync(join(warehouse.data, 'expected.json'), 'utf8'));
});

describe('nfx inspect (CLI)', () => {
  it('prints tables, dates, the last run and data quality', async () => {
    const result = await runNfx(['inspect', '--db', warehouse.db], {env: {COLUMNS: '120'}});
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`fact_ratings\\s+${expected.fact_ratings.toLocaleString('en-US')}\\s+≈ `));
    expect(result.stdout).toMatch(/last run: .*\(success, .*, nfx 0\.\d+\.\d+\)/);
    expect(result.stdout).toMatch(/combined_data_1\.txt\s+[\d,]+\s+[\d,]+.*\bok\b/);
    expect(result.stdout).toMatch(new RegExp(`bad_rating\\s+${expected.rejects_by_reason.bad_rating}\\s+combined_data_1\\.txt:\\d+`));
    expect(result.stdout).toContain(`movies without title: ${expected.movies_without_title}`);
    expect(result.stderr).toBe('');
  });

  it('--json prints one object with tables, dates, lastRun and quality', async () => {
    const result = await runNfx(['inspect', '--db', warehouse.db, '--json']);
    expect(result.code).toBe(0);
    const inspection = result.json<WarehouseInspection>();
    expect(Object.keys(inspection).sort()).toEqual(['dates', 'db', 'file', 'integrity', 'lastRun', 'quality', 'runs', 'tables']);
    expect(inspection.tables.find((t) => t.name === 'fact_ratings')).toMatchObject({kind: 'table', rows: expected.fact_ratings});
    expect(inspection.lastRun!.inputs.every((i) => i.balanced && /^[0-9a-f]{64}$/.test(i.sha256))).toBe(true);
    expect(Object.fromEntries(inspection.quality.byReason.map((r) => [r.reason, r.rejects]))).toEqual(expected.rejects_by_reason);
    expect(inspection.quality.byReason.every((r) => r.examples.length === Math.min(3, r.rejects))).toBe(true);
  });

  it('reads the file from NFX_DB', async () => {
    const result = await runNfx(['inspect', '--json'], {env: {NFX_DB: warehouse.db}});
    expect(result.code).toBe(0);
    expect(result.json<WarehouseInspection>().db).toBe(warehouse.db);
  });

  it('refuses a missing file with exit code 2, and creates nothing', async () => {
    const db = await notAWarehouse('missing');
    const result = await runNfx(['inspect', '--db', db]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`nfx: error: warehouse not found: ${db}; run nfx transform first, or pass --db (or set NFX_DB) with the file it wrote\n`);
    expect(existsSync(db)).toBe(false);
  });

  it('refuses a file that is not a DuckDB database with exit code 2', async () => {
    const db = await notAWarehouse('text');
    const result = await runNfx(['inspect', '--db', db]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`nfx: error: ${db} is not a DuckDB database file; pass --db with a file written by nfx transform\n`);
  });

  it('refuses a CSV file passed as --db with exit code 2 (DuckDB alone says something else for a .csv name)', async () => {
    const db = join(tempDir('nfx-csv-'), 'ratings.csv');
    writeFileSync(db, 'movie_id,title\n1,Dinosaur Planet\n');
    for (const command of ['inspect', 'query']) {
      const result = await runNfx([command, '--db', db, ...(command === 'query' ? ['SELECT 1'] : [])]);
      expect(result.code, command).toBe(2);
      expect(result.stderr).toBe(`nfx: error: ${db} is not a DuckDB database file; pass --db with a file written by nfx transform\n`);
    }
  });

  it('refuses a DuckDB file that is not an nfx warehouse with exit code 2, naming what is missing', async () => {
    const db = await notAWarehouse('other-duckdb');
    const result = await runNfx(['inspect', '--db', db]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^nfx: error: .* is a DuckDB file but not an nfx warehouse \(missing dim_date, dim_movie, dim_customer, fact_qualifying, agg_movie, agg_date, agg_customer_year, agg_movie_month, rejects, .*\); pass --db with a file written by nfx transform\n$/);
  });

  it('refuses a file another process holds locked with exit code 2, naming the process', async () => {
    const db = join(tempDir('nfx-lock-'), 'netflix.duckdb');
    copyFileSync(warehouse.db, db);
    const lock = await holdDuckDBLock(db);
    try {
      const result = await runNfx(['inspect', '--db', db, '--json']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^nfx: error: .* is in use by another process \(.*node.*, PID \d+\) that holds DuckDB's lock on it; wait for it to finish or close it\n$/);
      expect(result.json<{error: {exitCode: number}}>().error.exitCode).toBe(2);
    } finally {
      await lock.release();
    }
  });
});
