import {randomBytes} from 'node:crypto';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {DuckDBInstance} from '@duckdb/node-api';
import {beforeAll, describe, expect, it} from 'vitest';
import {UserError} from '../../src/errors.js';
import {runPgExport} from '../../src/export/postgres.js';
import {createTestDatabase, testHostPattern, testServer, withDatabase} from '../helpers/pg.js';
import {tempDir} from '../helpers/tmp.js';
import {transform} from '../transform/dataset.js';

// SPEC 4: what the user can fix is a UserError (exit code 2) with one line saying what to do.
// The CLI's rendering of these (exit code, one line, no password) is tested in test/e2e/export.test.ts.
let warehouse: string;

beforeAll(async () => {
  warehouse = (await transform({'combined_data_1.txt': '1:\n5,3,2005-01-01\n', 'movie_titles.csv': '1,2003,One\n'})).db;
});

async function userError(run: Promise<unknown>): Promise<string> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  expect((error as UserError).exitCode).toBe(2);
  const message = (error as UserError).message;
  expect(message).not.toContain('\n');
  return message;
}

const exportTo = (url: string, db = warehouse) => runPgExport({db, url, schema: 'netflix_dw', jobs: 2});

describe('export errors', () => {
  it('refuses a missing file, a file that is not DuckDB, and a DuckDB file that is not an nfx warehouse', async () => {
    const dir = tempDir();
    expect(await userError(exportTo('postgres://h/db', join(dir, 'none.duckdb')))).toMatch(/^DuckDB file not found: .*none\.duckdb; build it with nfx transform or pass --db FILE$/);
    writeFileSync(join(dir, 'text.duckdb'), 'not a database\n'.repeat(1000));
    expect(await userError(exportTo('postgres://h/db', join(dir, 'text.duckdb')))).toMatch(/text\.duckdb is not a DuckDB database file/);
    const instance = await DuckDBInstance.create(join(dir, 'other.duckdb'));
    const connection = await instance.connect();
    await connection.run('CREATE TABLE dim_movie (movie_key INTEGER)');
    connection.closeSync();
    instance.closeSync();
    expect(await userError(exportTo('postgres://h/db', join(dir, 'other.duckdb')))).toMatch(
      /other\.duckdb is not an nfx warehouse \(no table dim_date, dim_customer, fact_ratings, fact_qualifying, agg_movie, agg_date, agg_customer_year, agg_movie_month, rejects, etl_run, source_file\)/,
    );
  });

  it('says when the host does not exist', async () => {
    expect(await userError(exportTo('postgres://u:pw@nfx-no-such-host.invalid:5432/netflix'))).toMatch(
      /^cannot connect to PostgreSQL at nfx-no-such-host\.invalid:5432\/netflix: host not found; check --url, DATABASE_URL or the PG\* variables$/,
    );
  });

  it('says when the database does not exist', async () => {
    const url = withDatabase(testServer().adminUrl, 'nfx_no_such_database');
    expect(await userError(exportTo(url))).toMatch(/PostgreSQL at .*\/nfx_no_such_database: database "nfx_no_such_database" does not exist; create it first \(createdb\)/);
  });

  it('says when the role may not create the staging schema, and leaves nothing behind', async () => {
    const db = await createTestDatabase();
    const admin = await db.connect();
    const role = `nfx_noperm_${randomBytes(4).toString('hex')}`;
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD 'pw'`);
    try {
      const url = new URL(db.url);
      url.username = role;
      url.password = 'pw';
      expect(await userError(exportTo(url.toString()))).toMatch(
        /^PostgreSQL at .* refused creating the staging schema nfx_staging_\w+: permission denied for database nfx_test_\w+; the role needs CREATE on the database/,
      );
    } finally {
      await admin.query(`DROP ROLE ${role}`);
    }
  });

  it('fails when sslmode=require meets a server without TLS', async () => {
    const db = await createTestDatabase();
    const url = `${db.url}${db.url.includes('?') ? '&' : '?'}sslmode=require`;
    expect(await userError(exportTo(url))).toMatch(
      new RegExp(`^PostgreSQL at ${testHostPattern()}:\\d+/nfx_test_\\w+ does not accept TLS connections, but sslmode=require requires TLS: enable ssl on the server or use sslmode=prefer$`),
    );
    // prefer (libpq's default) falls back to a plain connection
    const summary = await exportTo(`${db.url}${db.url.includes('?') ? '&' : '?'}sslmode=prefer`);
    expect(summary.sslmode).toBe('prefer');
  });

  it('refuses --jobs out of range', async () => {
    expect(await userError(runPgExport({db: warehouse, url: 'postgres://h/db', schema: 'netflix_dw', jobs: 0}))).toBe('--jobs 0 must be a whole number from 1 to 16');
  });
});
