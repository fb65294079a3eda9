import {DuckDBInstance} from '@duckdb/node-api';
import {describe, expect, it} from 'vitest';
import {FirstDateScan} from '../../src/transforms/first-date-scan.js';

/** An in-memory DuckDB with a fact_ratings of customer 1 (first date 2001-01-01 on movie 10 alone) and customer 2. */
async function warehouse(): Promise<DuckDBInstance> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(`CREATE TABLE fact_ratings AS SELECT * FROM (VALUES
    (1, 1, 10, 20010101, 3), (2, 1, 11, 20020202, 4), (3, 1, 12, 20030303, 5), (4, 2, 10, 20040404, 1)
  ) AS t(rating_key, customer_key, movie_key, date_key, rating)`);
  connection.closeSync();
  return instance;
}

async function firstDates(connection: Awaited<ReturnType<DuckDBInstance['connect']>>): Promise<unknown[][]> {
  return (await connection.runAndReadAll('SELECT customer_key, first_date_key FROM customer_first_scan ORDER BY 1')).getRows();
}

describe('the first-date scan of an append (src/transforms/first-date-scan.ts)', () => {
  it("gives each moving customer's first date among its stored ratings that do not move, null when none is left", async () => {
    const instance = await warehouse();
    const main = await instance.connect();
    // customer 1's movie 10 rating moves (its first date); customer 2's only rating moves
    const scan = await FirstDateScan.start(instance, [[1, 10], [2, 10]]);
    await scan.stage(main);
    expect(await firstDates(main)).toEqual([[1, 20020202], [2, null]]);
    main.closeSync();
  });

  it('reads fact_ratings as it was when it started, whatever the main connection changes meanwhile', async () => {
    const instance = await warehouse();
    const main = await instance.connect();
    const scan = await FirstDateScan.start(instance, [[1, 10]]);
    // the star stage changes fact_ratings while the scan may still run: movie 11's rating moves later
    await main.run('UPDATE fact_ratings SET date_key = 20091231 WHERE rating_key = 2');
    await scan.stage(main);
    expect(await firstDates(main)).toEqual([[1, 20020202]]);
    main.closeSync();
  });

  it('relies on DuckDB taking a snapshot at a transaction\'s first read: a change committed after it stays unseen', async () => {
    const instance = await warehouse();
    const reader = await instance.connect();
    const writer = await instance.connect();
    await reader.run('BEGIN TRANSACTION');
    await reader.run('SELECT rating_key FROM fact_ratings LIMIT 1');
    await writer.run('UPDATE fact_ratings SET date_key = 20091231 WHERE rating_key = 2');
    await writer.run('INSERT INTO fact_ratings VALUES (5, 1, 13, 20000101, 2)');
    expect((await reader.runAndReadAll('SELECT min(date_key), max(date_key), count(*) FROM fact_ratings')).getRows()).toEqual([[20010101, 20040404, 4n]]);
    await reader.run('ROLLBACK');
    reader.closeSync();
    writer.closeSync();
  });
});
