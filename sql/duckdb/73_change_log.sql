-- nfx_change: grain one row per (run, table, key) an append inserted, changed or rebuilt; no key of its own
-- (a key may be logged more than once). Internal: not part of the star schema (SPEC 2), never exported.
-- nfx export --target pg reads it to apply to a PostgreSQL schema that holds an earlier run only the rows of
-- the runs since (src/export/incremental.ts). A full transform creates it empty; append/90_change_log.sql
-- fills it, and creates it in a warehouse built before it existed.
-- row_key:  the key the table's changed rows are found by, as an integer: date_key (dim_date, agg_date),
--           movie_key (dim_movie, agg_movie, agg_movie_month), customer_key (dim_customer, agg_customer_year),
--           rating_key (fact_ratings), qualifying_key (fact_qualifying).
--           The fact rows an append added are not listed: they hold the keys above the largest one before it,
--           which an export takes as one range (sql/postgres/71_change_scope.sql); one row of table_name
--           'fact_ratings_appended' per append counts them in row_key (older logs list them).
-- row_name: the text key of the others: the path (rejects, source_file), the run_id (etl_run).
-- Every append logs its own etl_run row, so a run without one was appended by an nfx that kept no log.
CREATE TABLE IF NOT EXISTS nfx_change (
    run_id      VARCHAR NOT NULL,
    table_name  VARCHAR NOT NULL,
    row_key     BIGINT,
    row_name    VARCHAR
);
