import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {MANIFEST, runFileExport} from '../../src/export/files.js';
import {EXPORT_TABLES} from '../../src/export/tables.js';
import {queryDuckDB} from '../helpers/duckdb.js';
import {tempDir} from '../helpers/tmp.js';
import {generatedWarehouse} from './warehouses.js';

// --target parquet|csv: the same tables as files, counted back by DuckDB.
let warehouse: string;

beforeAll(async () => {
  warehouse = await generatedWarehouse({ratings: '20000', seed: '5', dirty: true});
});

const rows = async (from: string): Promise<number> => Number((await queryDuckDB(warehouse, `SELECT count(*) AS n FROM ${from}`))[0].n);

describe('export to files', () => {
  it('writes CSV with a header, one file per table, that reads back to the same rows', async () => {
    const out = join(tempDir(), 'csv');
    const summary = await runFileExport({db: warehouse, out, format: 'csv'});
    expect(readdirSync(out).sort()).toEqual([...EXPORT_TABLES.map((t) => `${t.name}.csv`), MANIFEST].sort());
    for (const table of EXPORT_TABLES) {
      expect(await rows(`read_csv('${join(out, `${table.name}.csv`)}', header = true)`), table.name).toBe(await rows(table.name));
    }
    // titles with commas, quotes and accents survive CSV quoting; rejects' raw lines too
    const csvMovies = `read_csv('${join(out, 'dim_movie.csv')}', header = true, columns = {'movie_key': 'INTEGER', 'movie_id': 'INTEGER', 'title': 'VARCHAR', 'release_year': 'SMALLINT'})`;
    expect(await queryDuckDB(warehouse, `(SELECT * FROM ${csvMovies} EXCEPT SELECT * FROM dim_movie) UNION ALL (SELECT * FROM dim_movie EXCEPT SELECT * FROM ${csvMovies})`)).toEqual([]);
    // is_probe and the qualifying pairs survive CSV
    const csvFacts = `read_csv('${join(out, 'fact_ratings.csv')}', header = true)`;
    expect(await queryDuckDB(warehouse, `SELECT count(*) AS probe FROM ${csvFacts} WHERE is_probe`)).toEqual(await queryDuckDB(warehouse, 'SELECT count(*) AS probe FROM fact_ratings WHERE is_probe'));
    const csvQualifying = `read_csv('${join(out, 'fact_qualifying.csv')}', header = true)`;
    expect(await queryDuckDB(warehouse, `SELECT * FROM ${csvQualifying} ORDER BY qualifying_key`)).toEqual(await queryDuckDB(warehouse, 'SELECT * FROM fact_qualifying ORDER BY qualifying_key'));
    const csvRejects = `read_csv('${join(out, 'rejects.csv')}', header = true, all_varchar = true)`;
    expect(await queryDuckDB(warehouse, `SELECT raw_line FROM ${csvRejects} EXCEPT SELECT raw_line FROM rejects`)).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(out, MANIFEST), 'utf8'));
    expect(manifest).toMatchObject({format: 'csv', tables: {fact_ratings: {path: 'fact_ratings.csv', rows: await rows('fact_ratings')}}});
    expect(summary.tables.map((t) => t.table)).toEqual(EXPORT_TABLES.map((t) => t.name));
  });

  it('partitions the Parquet fact table by year and replaces an earlier export whole', async () => {
    const parent = tempDir();
    const out = join(parent, 'parquet');
    await runFileExport({db: warehouse, out, format: 'parquet'});
    const facts = `read_parquet('${join(out, 'fact_ratings')}/**/*.parquet', hive_partitioning = true)`;
    expect(await rows(facts)).toBe(await rows('fact_ratings'));
    expect(await queryDuckDB(warehouse, `SELECT count(*) AS wrong FROM ${facts} WHERE year <> date_key // 10000`)).toEqual([{wrong: 0}]);
    const fromFiles = await queryDuckDB(warehouse, `SELECT rating_key, customer_key, movie_key, date_key, rating, is_probe FROM ${facts} ORDER BY rating_key`);
    expect(fromFiles).toEqual(await queryDuckDB(warehouse, 'SELECT * FROM fact_ratings ORDER BY rating_key'));
    expect(await rows(`(SELECT * FROM fact_ratings WHERE is_probe)`)).toBeGreaterThan(0);
    // the qualifying pairs, row for row
    const qualifying = `read_parquet('${join(out, 'fact_qualifying.parquet')}')`;
    expect(await rows('fact_qualifying')).toBeGreaterThan(0);
    expect(await queryDuckDB(warehouse, `SELECT * FROM ${qualifying} ORDER BY qualifying_key`)).toEqual(await queryDuckDB(warehouse, 'SELECT * FROM fact_qualifying ORDER BY qualifying_key'));
    writeFileSync(join(out, 'stale.parquet'), 'from an older export');
    const again = await runFileExport({db: warehouse, out, format: 'parquet'});
    expect(again.replacedPrevious).toBe(true);
    expect(existsSync(join(out, 'stale.parquet'))).toBe(false);
    expect(readdirSync(parent)).toEqual(['parquet']);
  });

  it('refuses a directory that is not empty and not an earlier export, and leaves it alone', async () => {
    const out = join(tempDir(), 'mine');
    mkdirSync(out);
    writeFileSync(join(out, 'thesis.tex'), 'precious');
    await expect(runFileExport({db: warehouse, out, format: 'csv'})).rejects.toThrow(/--out .*mine is not empty and holds no earlier nfx export \(no _nfx_export\.json\)/);
    expect(readdirSync(out)).toEqual(['thesis.tex']);
  });
});
