import {existsSync, readdirSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {prepareReadOnly} from '../../src/analysis/read-only.js';
import {openWarehouse} from '../../src/analysis/warehouse.js';
import {transform} from '../transform/dataset.js';
import {runSql} from './run-report.js';
import {sha256} from '../helpers/sha256.js';

let db: string;
let out: string;
beforeAll(async () => {
  ({db} = await transform({'combined_data_1.txt': '1:\n5,3,2005-01-01\n6,4,2005-01-02\n', 'movie_titles.csv': '1,2003,One\n'}));
  out = join(dirname(db), 'written');
});

async function refusal(sql: string): Promise<string> {
  const warehouse = await openWarehouse(db, {externalAccess: false});
  try {
    await prepareReadOnly(warehouse.connection, sql);
    return 'accepted';
  } catch (err) {
    return (err as Error).message;
  } finally {
    warehouse.close();
  }
}

describe('nfx query accepts only reading statements', () => {
  it.each([
    ['DELETE FROM fact_ratings', 'DELETE'],
    ['UPDATE fact_ratings SET rating = 1', 'UPDATE'],
    ['INSERT INTO dim_movie VALUES (9, 9, NULL, NULL)', 'INSERT'],
    ['DROP TABLE fact_ratings', 'DROP'],
    ['CREATE TABLE t (a INTEGER)', 'CREATE'],
    ['CREATE VIEW v AS SELECT 1', 'CREATE'],
    ['ALTER TABLE dim_movie ADD COLUMN x INTEGER', 'ALTER'],
    ["ATTACH ':memory:' AS other", 'ATTACH'],
    ['SET threads = 1', 'SET'],
    ['SET enable_external_access = true', 'SET'],
    ['CHECKPOINT', 'CALL'],
    ['BEGIN TRANSACTION', 'TRANSACTION'],
  ])('refuses %s as a %s statement', async (sql, kind) => {
    expect(await refusal(sql)).toBe(`refused: nfx query is read-only and runs only SELECT queries, not ${kind} statements`);
  });

  it.each([
    [`COPY fact_ratings TO '{out}.csv'`],
    [`COPY (SELECT 1) TO '{out}.parquet' (FORMAT parquet)`],
    [`EXPORT DATABASE '{out}'`],
    [`ATTACH '{out}.duckdb' AS other`],
    [`SELECT * FROM read_csv('/etc/hostname')`],
    [`INSTALL httpfs`],
  ])('refuses %s, which reaches a file other than the warehouse', async (template) => {
    const sql = template.replace('{out}', out);
    expect(await refusal(sql)).toMatch(/^refused: nfx query (only reads the warehouse and cannot read or write any other file|is read-only and runs only SELECT queries)/);
  });

  it('leaves the warehouse byte for byte as it was and writes no file', async () => {
    const before = sha256(db);
    const files = readdirSync(dirname(db));
    for (const sql of ['DELETE FROM fact_ratings', `COPY fact_ratings TO '${out}.csv'`, `ATTACH '${out}.duckdb' AS o`, 'DROP TABLE dim_movie', `EXPORT DATABASE '${out}'`]) {
      await refusal(sql);
    }
    expect(sha256(db)).toBe(before);
    expect(readdirSync(dirname(db))).toEqual(files);
    expect(existsSync(`${out}.csv`)).toBe(false);
  });

  it('refuses more than one statement, even when all are queries', async () => {
    expect(await refusal('SELECT 1; SELECT 2')).toBe('nfx query runs one statement at a time and this input has 2; pass them one by one');
    expect(await refusal('SELECT 1; DELETE FROM fact_ratings')).toMatch(/one statement at a time/);
  });

  it('says how to write a PIVOT as one statement', async () => {
    expect(await refusal('PIVOT dim_date ON quarter USING count(*)')).toMatch(/a PIVOT without IN \(\.\.\.\) counts as two/);
    expect(await refusal('PIVOT dim_date ON quarter IN (1, 2, 3, 4) USING count(*) GROUP BY year')).toBe('accepted');
  });

  it('accepts SELECT, WITH, VALUES, FROM-first, DESCRIBE and SHOW, and a trailing semicolon', async () => {
    for (const sql of ['SELECT 1', 'WITH a AS (SELECT 1) SELECT * FROM a', 'VALUES (1)', 'FROM dim_movie', 'DESCRIBE fact_ratings', 'SHOW TABLES', 'SELECT 1;']) {
      expect(await refusal(sql)).toBe('accepted');
    }
  });

  it('reports SQL errors and empty input as one line', async () => {
    expect(await refusal('SELEC 1')).toMatch(/^SQL error: Parser Error: syntax error at or near "SELEC"$/);
    expect(await refusal('SELECT * FROM nope')).toMatch(/^SQL error: Catalog Error: Table with name nope does not exist!/);
    expect(await refusal('  \n')).toBe('no SQL given: pass a query, or --report NAME (see nfx query --help)');
  });

  it('binds --param values as prepared-statement values, so text is never SQL', async () => {
    const rows = await runSql(db, 'SELECT count(*) AS n FROM dim_movie WHERE title = $title', {values: {title: "One' OR '1'='1"}});
    expect(rows).toEqual([{n: 0}]);
    expect(await runSql(db, 'SELECT count(*) AS n FROM dim_movie WHERE title = $title', {values: {title: 'One'}})).toEqual([{n: 1}]);
  });
});

describe('the warehouse as the analysis commands open it', () => {
  it('groups by up to 2^20 keys (every customer_key) with a perfect hash aggregate', async () => {
    expect(await runSql(db, "SELECT current_setting('perfect_ht_threshold') AS bits")).toEqual([{bits: 20}]);
  });
});
