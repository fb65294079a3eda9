import {copyFileSync} from 'node:fs';
import {join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import type {Verification} from '../../src/analysis/verify.js';
import {runPgExport} from '../../src/export/postgres.js';
import {generatedWarehouse, holdDuckDBLock, notAWarehouse, type GeneratedWarehouse} from '../analysis/fixtures.js';
import {runNfx} from '../helpers/cli.js';
import {createTestDatabase, type TestDatabase} from '../helpers/pg.js';
import {tempDir} from '../helpers/tmp.js';

let warehouse: GeneratedWarehouse;
beforeAll(async () => {
  warehouse = await generatedWarehouse({ratings: '20000', seed: '4', dirty: true});
});

/** A fresh database with the warehouse exported into schema netflix_dw. */
async function exported(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  await runPgExport({db: warehouse.db, url: db.url, schema: 'netflix_dw', jobs: 1});
  return db;
}

const verify = (db: TestDatabase, ...args: string[]) => runNfx(['verify', '--target', 'pg', '--db', warehouse.db, '--url', db.url, ...args]);

describe('nfx verify --target pg (CLI)', () => {
  it('passes right after an export: every table, checksum and check agrees', async () => {
    const db = await exported();
    const result = await verify(db);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/fact_ratings\s+20,000\s+20,000\s+ok\s+ok/);
    expect(result.stdout).toContain('PostgreSQL holds exactly what DuckDB holds');
    const json = (await verify(db, '--json')).json<Verification>();
    expect(json).toMatchObject({ok: true, schema: 'netflix_dw', differences: []});
    expect(json.tables.map((t) => t.table)).toEqual([
      'dim_date',
      'dim_movie',
      'dim_customer',
      'fact_ratings',
      'fact_qualifying',
      'agg_movie',
      'agg_date',
      'agg_customer_year',
      'agg_movie_month',
      'rejects',
      'etl_run',
      'source_file',
    ]);
    expect(json.aggregates).toEqual(
      ['agg_movie', 'agg_date', 'agg_customer_year', 'agg_movie_month'].map((table) => ({table, differingRows: 0, firstKey: null})),
    );
    expect(json.tables.every((t) => t.rowsMatch && t.checksumMatch && t.postgres!.checksum === t.duckdb.checksum)).toBe(true);
    expect(json.integrity.postgres).toEqual(json.integrity.duckdb);
    expect(json.target).not.toMatch(/password|:\/\//);
  });

  it('fails with exit code 3 and names the table and the count after a row is deleted in PostgreSQL', async () => {
    const db = await exported();
    const client = await db.connect();
    await client.query('DELETE FROM netflix_dw.fact_ratings WHERE rating_key = 1');
    const result = await verify(db);
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/fact_ratings\s+20,000\s+19,999\s+DIFFERENT\s+DIFFERENT/);
    expect(result.stdout).toMatch(/dim_movie\s+[\d,]+\s+[\d,]+\s+ok\s+ok/);
    expect(result.stdout).toContain('fact_ratings: PostgreSQL has 19,999 rows, DuckDB 20,000 (1 fewer)');
    expect(result.stderr).toMatch(/^nfx: error: PostgreSQL schema netflix_dw differs from .*: fact_ratings: PostgreSQL has 19,999 rows, DuckDB 20,000 \(1 fewer\) \(and \d+ more\)\n$/);
    const json = await verify(db, '--json');
    expect(json.code).toBe(3);
    const {error} = json.json<{error: {exitCode: number; details: {verification: Verification}}}>();
    expect(error.exitCode).toBe(3);
    expect(error.details.verification.tables.find((t) => t.table === 'fact_ratings')).toMatchObject({duckdb: {rows: 20000}, postgres: {rows: 19999}, rowsMatch: false});
  });

  it('says first that the schema holds an export of another warehouse (which file and run), then the differences', async () => {
    const other = await generatedWarehouse({ratings: '20000', seed: '5'});
    const db = await exported();
    const result = await runNfx(['verify', '--target', 'pg', '--db', other.db, '--url', db.url]);
    expect(result.code).toBe(3);
    const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const origin = `schema "netflix_dw" holds an export of another warehouse, ${escape(warehouse.db)} \\(transform run [0-9a-f-]{36}\\), not of ${escape(other.db)} \\(transform run [0-9a-f-]{36}\\)`;
    expect(result.stderr).toMatch(new RegExp(`^nfx: error: PostgreSQL schema netflix_dw differs from ${escape(other.db)}: ${origin} \\(and \\d+ more\\)\n$`));
    const listed = result.stdout.slice(result.stdout.search(/^\d+ differences:$/m)).split('\n');
    expect(listed[1]).toMatch(new RegExp(`^  ${origin}$`));
    expect(listed[2]).toMatch(/^  dim_movie: /);
    // a copy of the exported warehouse holds the same rows: nothing to report
    const copy = join(tempDir(), 'copy.duckdb');
    copyFileSync(warehouse.db, copy);
    expect((await runNfx(['verify', '--target', 'pg', '--db', copy, '--url', db.url])).code).toBe(0);
  });

  it('fails when a value changed though the row counts agree', async () => {
    const db = await exported();
    const client = await db.connect();
    await client.query("UPDATE netflix_dw.dim_movie SET title = title || '!' WHERE movie_key = 1");
    const result = await verify(db, '--json');
    expect(result.code).toBe(3);
    const {verification} = result.json<{error: {details: {verification: Verification}}}>().error.details;
    expect(verification.differences).toEqual([expect.stringMatching(/^dim_movie: checksum \S+ in PostgreSQL, \S+ in DuckDB/)]);
  });

  it('recomputes each aggregate from fact_ratings in PostgreSQL and names agg_movie when one of its rows was changed', async () => {
    const db = await exported();
    const client = await db.connect();
    await client.query('UPDATE netflix_dw.agg_movie SET rating_count = rating_count + 1, stars_5 = stars_5 + 1 WHERE movie_key = 3');
    const result = await verify(db);
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/agg_movie\s+1\s+DIFFERENT \(first: movie_key 3\)/);
    expect(result.stdout).toMatch(/agg_customer_year\s+0\s+ok/);
    expect(result.stdout).toContain('agg_movie: 1 row differs from a recomputation from fact_ratings in PostgreSQL (first: movie_key 3)');
    const json = (await verify(db, '--json')).json<{error: {details: {verification: Verification}}}>();
    expect(json.error.details.verification.aggregates).toEqual([
      {table: 'agg_movie', differingRows: 1, firstKey: 'movie_key 3'},
      {table: 'agg_date', differingRows: 0, firstKey: null},
      {table: 'agg_customer_year', differingRows: 0, firstKey: null},
      {table: 'agg_movie_month', differingRows: 0, firstKey: null},
    ]);
  });

  it('notices a flipped is_probe flag and a moved qualifying pair', async () => {
    const db = await exported();
    const client = await db.connect();
    await client.query('UPDATE netflix_dw.fact_ratings SET is_probe = NOT is_probe WHERE rating_key = 1');
    await client.query('UPDATE netflix_dw.fact_qualifying SET date_key = date_key - 1 WHERE qualifying_key = 1');
    const result = await verify(db, '--json');
    expect(result.code).toBe(3);
    const {verification} = result.json<{error: {details: {verification: Verification}}}>().error.details;
    expect(verification.differences).toEqual([
      expect.stringMatching(/^fact_ratings: checksum \S+ in PostgreSQL, \S+ in DuckDB/),
      expect.stringMatching(/^fact_qualifying: checksum \S+ in PostgreSQL, \S+ in DuckDB/),
    ]);
  });

  it('finds fact rows whose dimension row is gone (foreign keys switched off)', async () => {
    const db = await exported();
    const client = await db.connect();
    await client.query('SET session_replication_role = replica');
    await client.query('DELETE FROM netflix_dw.dim_customer WHERE customer_key = 1');
    const {rows} = await client.query<{n: string}>('SELECT count(*) AS n FROM netflix_dw.fact_ratings WHERE customer_key = 1');
    const result = await verify(db);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain(`fact rows whose customer_key is not in dim_customer: ${rows[0].n} in PostgreSQL, 0 in DuckDB`);
  });

  it('names a table that is missing in PostgreSQL', async () => {
    const db = await exported();
    const client = await db.connect();
    await client.query('DROP TABLE netflix_dw.rejects');
    const result = await verify(db);
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/rejects: missing in PostgreSQL \(DuckDB has [\d,]+ rows\)/);
  });

  it('refuses a schema with nothing exported in it with exit code 2', async () => {
    const db = await createTestDatabase();
    const result = await verify(db);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^nfx: error: PostgreSQL at .* has no tables in schema "netflix_dw"; run nfx export first, or pass the --schema it exported to\n$/);
  });

  it('refuses an unreachable server with exit code 2, without printing the password', async () => {
    const result = await runNfx(['verify', '--db', warehouse.db, '--url', 'postgres://nfx:s3cret@127.0.0.1:9/netflix']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cannot connect to PostgreSQL at 127\.0\.0\.1:9\/netflix: connection refused/);
    expect(result.stderr).not.toContain('s3cret');
  });

  it.each([['missing'], ['text'], ['other-duckdb']] as const)('refuses a %s DuckDB file with exit code 2', async (kind) => {
    const result = await runNfx(['verify', '--db', await notAWarehouse(kind), '--url', 'postgres://127.0.0.1:9/x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^nfx: error: .*(not found|not a DuckDB database file|not an nfx warehouse)/);
  });

  it('refuses a locked DuckDB file with exit code 2', async () => {
    const db = join(tempDir('nfx-lock-'), 'netflix.duckdb');
    copyFileSync(warehouse.db, db);
    const lock = await holdDuckDBLock(db);
    try {
      const result = await runNfx(['verify', '--db', db, '--url', 'postgres://127.0.0.1:9/x']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/is in use by another process/);
    } finally {
      await lock.release();
    }
  });
});
