-- The apply of an incremental export, after the new fact rows (76_new_facts.sql): the rest of the tables, in
-- the same transaction, with the rules of 72_incremental_apply.sql.

-- fact_qualifying: grain as in 10_tables.sql; upsert by qualifying_key.
WITH applied AS (
    INSERT INTO {{schema}}.fact_qualifying AS stored
    SELECT * FROM new_fact_qualifying
    ON CONFLICT (qualifying_key) DO UPDATE SET
        customer_key = EXCLUDED.customer_key,
        movie_key = EXCLUDED.movie_key,
        date_key = EXCLUDED.date_key
    WHERE (stored.*) IS DISTINCT FROM (EXCLUDED.*)
    RETURNING (xmax = 0) AS inserted
)
SELECT 'fact_qualifying' AS table_name, count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated, 0 AS deleted
FROM applied;

-- agg_movie: grain as in 12_aggregate_tables.sql; the scope by movie_key, deleted then inserted.
WITH gone AS (
    DELETE FROM {{schema}}.agg_movie
    WHERE movie_key IN (SELECT row_key FROM change_key WHERE table_name = 'agg_movie')
    RETURNING 1
)
SELECT 'agg_movie' AS table_name, 0 AS inserted, 0 AS updated, count(*) AS deleted FROM gone;

WITH added AS (
    INSERT INTO {{schema}}.agg_movie SELECT * FROM new_agg_movie RETURNING 1
)
SELECT 'agg_movie' AS table_name, count(*) AS inserted, 0 AS updated, 0 AS deleted FROM added;

-- agg_date: grain as in 12_aggregate_tables.sql; the scope by date_key, deleted then inserted.
WITH gone AS (
    DELETE FROM {{schema}}.agg_date
    WHERE date_key IN (SELECT row_key FROM change_key WHERE table_name = 'agg_date')
    RETURNING 1
)
SELECT 'agg_date' AS table_name, 0 AS inserted, 0 AS updated, count(*) AS deleted FROM gone;

WITH added AS (
    INSERT INTO {{schema}}.agg_date SELECT * FROM new_agg_date RETURNING 1
)
SELECT 'agg_date' AS table_name, count(*) AS inserted, 0 AS updated, 0 AS deleted FROM added;

-- agg_customer_year: grain as in 12_aggregate_tables.sql; the scope by customer_key, deleted then inserted.
WITH gone AS (
    DELETE FROM {{schema}}.agg_customer_year
    WHERE customer_key IN (SELECT row_key FROM change_key WHERE table_name = 'agg_customer_year')
    RETURNING 1
)
SELECT 'agg_customer_year' AS table_name, 0 AS inserted, 0 AS updated, count(*) AS deleted FROM gone;

WITH added AS (
    INSERT INTO {{schema}}.agg_customer_year SELECT * FROM new_agg_customer_year RETURNING 1
)
SELECT 'agg_customer_year' AS table_name, count(*) AS inserted, 0 AS updated, 0 AS deleted FROM added;

-- agg_movie_month: grain as in 12_aggregate_tables.sql; the scope by movie_key, deleted then inserted.
WITH gone AS (
    DELETE FROM {{schema}}.agg_movie_month
    WHERE movie_key IN (SELECT row_key FROM change_key WHERE table_name = 'agg_movie_month')
    RETURNING 1
)
SELECT 'agg_movie_month' AS table_name, 0 AS inserted, 0 AS updated, count(*) AS deleted FROM gone;

WITH added AS (
    INSERT INTO {{schema}}.agg_movie_month SELECT * FROM new_agg_movie_month RETURNING 1
)
SELECT 'agg_movie_month' AS table_name, count(*) AS inserted, 0 AS updated, 0 AS deleted FROM added;

-- rejects: grain as in 10_tables.sql; the scope by source_file, deleted then inserted.
WITH gone AS (
    DELETE FROM {{schema}}.rejects
    WHERE source_file IN (SELECT row_name FROM change_key WHERE table_name = 'rejects')
    RETURNING 1
)
SELECT 'rejects' AS table_name, 0 AS inserted, 0 AS updated, count(*) AS deleted FROM gone;

WITH added AS (
    INSERT INTO {{schema}}.rejects SELECT * FROM new_rejects RETURNING 1
)
SELECT 'rejects' AS table_name, count(*) AS inserted, 0 AS updated, 0 AS deleted FROM added;

-- source_file: grain as in 10_tables.sql; the scope by path, deleted then inserted.
WITH gone AS (
    DELETE FROM {{schema}}.source_file
    WHERE path IN (SELECT row_name FROM change_key WHERE table_name = 'source_file')
    RETURNING 1
)
SELECT 'source_file' AS table_name, 0 AS inserted, 0 AS updated, count(*) AS deleted FROM gone;

WITH added AS (
    INSERT INTO {{schema}}.source_file SELECT * FROM new_source_file RETURNING 1
)
SELECT 'source_file' AS table_name, count(*) AS inserted, 0 AS updated, 0 AS deleted FROM added;

-- etl_run: grain as in 10_tables.sql; the scope by run_id, deleted then inserted.
WITH gone AS (
    DELETE FROM {{schema}}.etl_run
    WHERE run_id IN (SELECT row_name FROM change_key WHERE table_name = 'etl_run')
    RETURNING 1
)
SELECT 'etl_run' AS table_name, 0 AS inserted, 0 AS updated, count(*) AS deleted FROM gone;

WITH added AS (
    INSERT INTO {{schema}}.etl_run SELECT * FROM new_etl_run RETURNING 1
)
SELECT 'etl_run' AS table_name, count(*) AS inserted, 0 AS updated, 0 AS deleted FROM added;
