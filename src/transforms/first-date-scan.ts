import type {DuckDBConnection, DuckDBInstance} from '@duckdb/node-api';
import {log} from '../log.js';
import {handled} from '../promises.js';
import {fillSql, loadSql} from '../sql.js';

/**
 * An append's scan for first dates: for the customers whose first date a beaten stored rating sits on (`moves`:
 * their stored ratings that move, sql/duckdb/append/14_first_date_moves.sql), the first date of their stored
 * ratings that do not move (15_first_date_scan.sql), which 58_customer_delta.sql needs. Customers without such a
 * rating get null (their new ratings alone give the date).
 *
 * The scan reads three columns of all of fact_ratings, ~1.3 s at 100M when cold, so it runs on a second
 * connection beside the duplicate rule and the star stage's first files, and is awaited only by the customer
 * deltas. Its transaction is begun, and its snapshot of the warehouse taken, before `start` returns: the star
 * stage's changes to fact_ratings on the main connection come after, so the scan sees fact_ratings as stored
 * whichever runs first (DuckDB's MVCC).
 */
export class FirstDateScan {
  private constructor(private readonly result: Promise<Map<number, number | null>>) {}

  static async start(instance: DuckDBInstance, moves: [number, number][]): Promise<FirstDateScan> {
    const firstDates = new Map<number, number | null>(moves.map(([customerKey]) => [customerKey, null]));
    if (moves.length === 0) return new FirstDateScan(Promise.resolve(firstDates));
    log().debug(`first-date scan: ${firstDates.size} customers whose first date a beaten rating moves off (${moves.length} moving ratings)`);
    const second = await instance.connect();
    try {
      await second.run('BEGIN TRANSACTION');
      // DuckDB takes a transaction's snapshot of a database when the transaction first reads it
      await second.run('SELECT rating_key FROM fact_ratings LIMIT 1');
    } catch (error) {
      second.closeSync();
      throw error;
    }
    return new FirstDateScan(handled(scan(second, moves, firstDates)));
  }

  /** Waits for the scan and stages its result as the temp table customer_first_scan (customer_key, first_date_key). */
  async stage(connection: DuckDBConnection): Promise<void> {
    const firstDates = await this.result;
    await connection.run('CREATE TEMP TABLE customer_first_scan (customer_key INTEGER NOT NULL, first_date_key INTEGER)');
    const appender = await connection.createAppender('customer_first_scan');
    for (const [customerKey, dateKey] of firstDates) {
      appender.appendInteger(customerKey);
      if (dateKey === null) appender.appendNull();
      else appender.appendInteger(dateKey);
      appender.endRow();
    }
    appender.closeSync();
  }

  /** Resolves once the scan's connection is closed, however it ended: DuckDB closes only after it. */
  async settled(): Promise<void> {
    await this.result.catch(() => undefined);
  }
}

async function scan(second: DuckDBConnection, moves: [number, number][], firstDates: Map<number, number | null>): Promise<Map<number, number | null>> {
  const started = performance.now();
  try {
    const values = moves.map(([customerKey, movieKey]) => `(${Number(customerKey)}, ${Number(movieKey)})`).join(', ');
    const reader = await second.runAndReadAll(fillSql(loadSql('duckdb', 'append/15_first_date_scan'), {moves: values}));
    for (const [customerKey, dateKey] of reader.getRows() as [number, number][]) firstDates.set(customerKey, dateKey);
  } finally {
    second.closeSync();
  }
  log().debug(`first-date scan: ${((performance.now() - started) / 1000).toFixed(3)}s`);
  return firstDates;
}
