-- The temporary tables of an incremental export, in its transaction (dropped at its end, also on ROLLBACK):
-- change_key: grain one (table, key) the appends since the target's last run changed (the warehouse's
--   nfx_change, sql/duckdb/73_change_log.sql); row_key for integer keys, row_name for paths and run ids.
-- new_<table>: grain its table's; the rows of the changed scope as the warehouse holds them now
--   (71_change_scope.sql), binary-COPied from DuckDB. 72_incremental_apply.sql applies them.
CREATE TEMP TABLE change_key (table_name TEXT NOT NULL, row_key BIGINT, row_name TEXT) ON COMMIT DROP;
CREATE TEMP TABLE new_dim_date (LIKE {{schema}}.dim_date) ON COMMIT DROP;
CREATE TEMP TABLE new_dim_movie (LIKE {{schema}}.dim_movie) ON COMMIT DROP;
CREATE TEMP TABLE new_dim_customer (LIKE {{schema}}.dim_customer) ON COMMIT DROP;
CREATE TEMP TABLE new_fact_ratings (LIKE {{schema}}.fact_ratings) ON COMMIT DROP;
CREATE TEMP TABLE new_fact_qualifying (LIKE {{schema}}.fact_qualifying) ON COMMIT DROP;
CREATE TEMP TABLE new_agg_movie (LIKE {{schema}}.agg_movie) ON COMMIT DROP;
CREATE TEMP TABLE new_agg_date (LIKE {{schema}}.agg_date) ON COMMIT DROP;
CREATE TEMP TABLE new_agg_customer_year (LIKE {{schema}}.agg_customer_year) ON COMMIT DROP;
CREATE TEMP TABLE new_agg_movie_month (LIKE {{schema}}.agg_movie_month) ON COMMIT DROP;
CREATE TEMP TABLE new_rejects (LIKE {{schema}}.rejects) ON COMMIT DROP;
CREATE TEMP TABLE new_etl_run (LIKE {{schema}}.etl_run) ON COMMIT DROP;
CREATE TEMP TABLE new_source_file (LIKE {{schema}}.source_file) ON COMMIT DROP;
