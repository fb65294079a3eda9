/**
 * The tables of an nfx warehouse as they are exported: names, columns and how each column travels.
 * The PostgreSQL DDL (sql/postgres/10_tables.sql, 11_fact_ratings.sql) declares the same columns in the same order.
 */
import {WITHOUT_AGGREGATES} from '../bench-reference.js';
import {fillSql, loadSql} from '../sql.js';

/** A column's PostgreSQL binary COPY representation; `duckdbType` is the warehouse type that carries it. */
export type ColumnKind = 'int2' | 'int4' | 'int8' | 'float8' | 'bool' | 'date' | 'text' | 'timestamptz';

export const DUCKDB_TYPE: Record<ColumnKind, string> = {
  int2: 'SMALLINT',
  int4: 'INTEGER',
  int8: 'BIGINT',
  float8: 'DOUBLE',
  bool: 'BOOLEAN',
  date: 'DATE',
  text: 'VARCHAR',
  timestamptz: 'TIMESTAMP WITH TIME ZONE',
};

/** The same, as PostgreSQL's format_type() names the column's type in the target schema. */
export const PG_TYPE: Record<ColumnKind, string> = {
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float8: 'double precision',
  bool: 'boolean',
  date: 'date',
  text: 'text',
  timestamptz: 'timestamp with time zone',
};

export interface ExportColumn {
  name: string;
  kind: ColumnKind;
}

export type TableName =
  | 'dim_date'
  | 'dim_movie'
  | 'dim_customer'
  | 'fact_ratings'
  | 'fact_qualifying'
  | 'agg_movie'
  | 'agg_date'
  | 'agg_customer_year'
  | 'agg_movie_month'
  | 'rejects'
  | 'etl_run'
  | 'source_file';

export interface ExportTable {
  name: TableName;
  columns: ExportColumn[];
}

const columns = (spec: string): ExportColumn[] =>
  spec
    .trim()
    .split(/\s*,\s*/)
    .map((pair) => {
      const [name, kind] = pair.split(/\s+/);
      return {name, kind: kind as ColumnKind};
    });

/** In load order: dimensions, the fact tables, the aggregate tables (SPEC 2.1), then the audit tables. */
const WAREHOUSE_TABLES: readonly ExportTable[] = [
  {
    name: 'dim_date',
    columns: columns(`date_key int4, date_actual date, year int2, quarter int2, month int2, month_name text, day int2,
      day_of_week int2, day_name text, week_of_year int2, is_weekend bool`),
  },
  {name: 'dim_movie', columns: columns('movie_key int4, movie_id int4, title text, release_year int2')},
  {
    name: 'dim_customer',
    columns: columns('customer_key int4, customer_id int4, first_rating_date date, last_rating_date date, total_ratings int4, avg_rating float8'),
  },
  {name: 'fact_ratings', columns: columns('rating_key int8, customer_key int4, movie_key int4, date_key int4, rating int2, is_probe bool')},
  {name: 'fact_qualifying', columns: columns('qualifying_key int8, customer_key int4, movie_key int4, date_key int4')},
  {
    name: 'agg_movie',
    columns: columns(`movie_key int4, rating_count int8, rating_sum int8, avg_rating float8, stars_1 int8, stars_2 int8, stars_3 int8,
      stars_4 int8, stars_5 int8, first_rating_date date, last_rating_date date`),
  },
  {
    name: 'agg_date',
    columns: columns('date_key int4, rating_count int8, rating_sum int8, avg_rating float8, stars_1 int8, stars_2 int8, stars_3 int8, stars_4 int8, stars_5 int8'),
  },
  {name: 'agg_customer_year', columns: columns('customer_key int4, year int2, rating_count int8, rating_sum int8, avg_rating float8')},
  {name: 'agg_movie_month', columns: columns('movie_key int4, month_key int4, rating_count int8, rating_sum int8')},
  {name: 'rejects', columns: columns('source_file text, line_number int8, reason text, raw_line text')},
  {
    name: 'etl_run',
    columns: columns(`run_id text, started_at timestamptz, finished_at timestamptz, nfx_version text, status text, mode text, data_dir text,
      rating_files int4, lines_read int8, ratings_loaded int8, rejected int8, duplicates int8, movies int4, customers int4, seconds float8`),
  },
  {
    name: 'source_file',
    columns: columns('run_id text, path text, kind text, bytes int8, sha256 text, lines int8, blank_lines int8, headers int8, accepted int8, rejected int8'),
  },
];

/** The tables an export loads: all of them, but for the bench's reference without the aggregates (src/bench-reference.ts). */
export const EXPORT_TABLES: readonly ExportTable[] = WITHOUT_AGGREGATES ? WAREHOUSE_TABLES.filter((t) => !t.name.startsWith('agg_')) : WAREHOUSE_TABLES;

/**
 * The reconciliation query over the tables of `schema` (an identifier, or `main` in DuckDB): a row count and
 * a checksum per exported table (sql/postgres/40_checksums.sql, and 41_aggregate_checksums.sql for the
 * aggregate tables), the same text for both engines.
 */
export function checksumSql(schema: string): string {
  const files = WITHOUT_AGGREGATES ? ['40_checksums'] : ['40_checksums', '41_aggregate_checksums'];
  const selects = files.map((name) => fillSql(loadSql('postgres', name), {schema}).trim().replace(/;$/, ''));
  return `${selects.join('\nUNION ALL\n')};`;
}

/** The tables of wave 2 (SPEC 1.4 and 2.1); a warehouse built by an nfx before them has every table but these. */
const WAVE_2_TABLES: readonly TableName[] = ['fact_qualifying', 'agg_movie', 'agg_date', 'agg_customer_year', 'agg_movie_month'];

/** What to tell the user about a DuckDB file that lacks some warehouse tables, or null unless only wave 2's are missing. */
export function earlierWarehouse(path: string, missing: readonly string[]): string | null {
  if (missing.length === 0 || !missing.every((name) => (WAVE_2_TABLES as readonly string[]).includes(name))) return null;
  return `${path} was built by an earlier nfx, without ${missing.join(', ')}; rebuild it with nfx transform`;
}

/** The views an export creates beside the tables (sql/postgres/30_views.sql). */
export const EXPORT_VIEWS = ['v_daily_rating_summary', 'v_movie_performance'] as const;

export const FACT_TABLE = EXPORT_TABLES.find((t) => t.name === 'fact_ratings')!;

export function columnList(table: ExportTable): string {
  return table.columns.map((c) => c.name).join(', ');
}
