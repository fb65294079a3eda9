import type {DuckDBConnection} from '@duckdb/node-api';
import type pg from 'pg';
import {fillSql, loadSql} from '../sql.js';
import {readRows} from './values.js';

/** The checks of sql/duckdb/inspect/integrity.sql: the same SQL text on DuckDB and on PostgreSQL. */
export interface Integrity {
  ratingsOutOfRange: number;
  orphanCustomerKeys: number;
  orphanMovieKeys: number;
  orphanDateKeys: number;
  /** fact_qualifying rows with a customer, movie or date key missing from its dimension. */
  orphanQualifyingKeys: number;
  dailySummaryRows: number;
  moviePerformanceRows: number;
}

/** Labels for people, in the order of the SQL's columns. */
export const INTEGRITY_CHECKS: Record<keyof Integrity, string> = {
  ratingsOutOfRange: 'ratings outside 1..5',
  orphanCustomerKeys: 'fact rows whose customer_key is not in dim_customer',
  orphanMovieKeys: 'fact rows whose movie_key is not in dim_movie',
  orphanDateKeys: 'fact rows whose date_key is not in dim_date',
  orphanQualifyingKeys: 'fact_qualifying rows whose customer, movie or date key has no dimension row',
  dailySummaryRows: 'rows of v_daily_rating_summary',
  moviePerformanceRows: 'rows of v_movie_performance',
};

interface IntegrityRow {
  ratings_out_of_range: number | string;
  orphan_customer_keys: number | string;
  orphan_movie_keys: number | string;
  orphan_date_keys: number | string;
  orphan_qualifying_keys: number | string;
  daily_summary_rows: number | string;
  movie_performance_rows: number | string;
}

function integrity(row: IntegrityRow): Integrity {
  return {
    ratingsOutOfRange: Number(row.ratings_out_of_range),
    orphanCustomerKeys: Number(row.orphan_customer_keys),
    orphanMovieKeys: Number(row.orphan_movie_keys),
    orphanDateKeys: Number(row.orphan_date_keys),
    orphanQualifyingKeys: Number(row.orphan_qualifying_keys),
    dailySummaryRows: Number(row.daily_summary_rows),
    moviePerformanceRows: Number(row.movie_performance_rows),
  };
}

export async function duckdbIntegrity(connection: DuckDBConnection): Promise<Integrity> {
  const [row] = await readRows<IntegrityRow>(connection, fillSql(loadSql('duckdb', 'inspect/integrity'), {schema: 'main'}));
  return integrity(row);
}

/** `quotedSchema` is already an escaped identifier (pg.escapeIdentifier). */
export async function postgresIntegrity(client: pg.Client, quotedSchema: string): Promise<Integrity> {
  const {rows} = await client.query<IntegrityRow>(fillSql(loadSql('duckdb', 'inspect/integrity'), {schema: quotedSchema}));
  return integrity(rows[0]);
}
