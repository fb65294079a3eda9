/**
 * What `nfx transform` agrees to replace at --db: nothing, an empty file, or a warehouse nfx wrote that no other
 * process is writing to (that last case: test/reliability/concurrency.test.ts). Anything else is refused in
 * one line with exit code 2 and left byte for byte as it was.
 */
import {mkdirSync, readdirSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {notAWarehouse} from '../analysis/fixtures.js';
import {runNfx} from '../helpers/cli.js';
import {queryDuckDB} from '../helpers/duckdb.js';
import {sha256} from '../helpers/sha256.js';
import {tempDir} from '../helpers/tmp.js';
import {writeDataset} from './dataset.js';

const data = writeDataset({'combined_data_1.txt': '1:\n5,3,2005-01-02\n7,4,2005-01-03\n', 'movie_titles.csv': '1,2003,Dinosaur Planet\n'});

async function transformInto(db: string) {
  return runNfx(['transform', '--data', data, '--db', db, '--quiet']);
}

describe('nfx transform --db', () => {
  it.each([
    ['a text file', 'text', /--db .*netflix\.duckdb exists and is not a DuckDB database; nfx transform replaces --db as a whole, so pass another path or move that file away/],
    ['a DuckDB database nfx did not write', 'other-duckdb', /--db .*netflix\.duckdb is a DuckDB database nfx did not write \(tables fact_ratings\); nfx transform replaces --db as a whole/],
  ] as const)('refuses to replace %s, and leaves it as it was', async (_, kind, message) => {
    const db = await notAWarehouse(kind);
    const before = sha256(db);
    const result = await transformInto(db);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(sha256(db)).toBe(before);
    expect(readdirSync(dirname(db))).toEqual(['netflix.duckdb']);
  });

  it('refuses a directory, naming a file to use instead', async () => {
    const dir = join(tempDir('nfx-target-'), 'warehouse');
    mkdirSync(dir);
    const result = await transformInto(dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`nfx: error: --db ${dir} is a directory; pass the path of the DuckDB file to write, e.g. ${dir}/netflix.duckdb\n`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('replaces an empty file, and its own earlier warehouse', async () => {
    const db = join(tempDir('nfx-target-'), 'netflix.duckdb');
    writeFileSync(db, '');
    expect((await transformInto(db)).code).toBe(0);
    expect(await queryDuckDB(db, 'SELECT count(*)::INTEGER AS n FROM fact_ratings')).toEqual([{n: 2}]);
    const again = await transformInto(db);
    expect(again.code, again.stderr).toBe(0);
    expect(await queryDuckDB(db, 'SELECT count(*)::INTEGER AS n FROM etl_run')).toEqual([{n: 1}]);
  });
});
