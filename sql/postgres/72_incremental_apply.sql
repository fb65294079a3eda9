-- The apply of an incremental export, in its one transaction on the published schema {{schema}}, constraints in
-- place: the changed rows (new_<table>, 70_incremental_tables.sql) go in, in an order in which every foreign
-- key holds after each statement (dimensions, then the facts, then the aggregates, then the audit tables).
-- Each statement answers one row: its table, and the rows it inserted, updated and deleted.
-- - Dimensions and facts never lose rows and keep their keys (SPEC 4): upsert by primary key; a row equal
--   to the stored one is left alone (not rewritten, not counted).
-- - Aggregates, rejects and source_file: the rows of a rebuilt scope may vanish (a (movie, month) whose only
--   rating was beaten and moved, a titles file's old rejects), so the scope's rows are deleted, then the
--   warehouse's rows of that scope inserted. etl_run likewise, by run_id.

-- The planner knows nothing of temporary tables until they are analyzed (autovacuum never sees them).
ANALYZE change_key;
ANALYZE new_fact_ratings;

-- dim_date: grain as in 10_tables.sql; upsert by date_key.
WITH applied AS (
    INSERT INTO {{schema}}.dim_date AS stored
    SELECT * FROM new_dim_date
    ON CONFLICT (date_key) DO UPDATE SET
        date_actual = EXCLUDED.date_actual,
        year = EXCLUDED.year,
        quarter = EXCLUDED.quarter,
        month = EXCLUDED.month,
        month_name = EXCLUDED.month_name,
        day = EXCLUDED.day,
        day_of_week = EXCLUDED.day_of_week,
        day_name = EXCLUDED.day_name,
        week_of_year = EXCLUDED.week_of_year,
        is_weekend = EXCLUDED.is_weekend
    WHERE (stored.*) IS DISTINCT FROM (EXCLUDED.*)
    RETURNING (xmax = 0) AS inserted
)
SELECT 'dim_date' AS table_name, count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated, 0 AS deleted
FROM applied;

-- dim_movie: grain as in 10_tables.sql; upsert by movie_key.
WITH applied AS (
    INSERT INTO {{schema}}.dim_movie AS stored
    SELECT * FROM new_dim_movie
    ON CONFLICT (movie_key) DO UPDATE SET
        movie_id = EXCLUDED.movie_id,
        title = EXCLUDED.title,
        release_year = EXCLUDED.release_year
    WHERE (stored.*) IS DISTINCT FROM (EXCLUDED.*)
    RETURNING (xmax = 0) AS inserted
)
SELECT 'dim_movie' AS table_name, count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated, 0 AS deleted
FROM applied;

-- dim_customer: grain as in 10_tables.sql; upsert by customer_key.
WITH applied AS (
    INSERT INTO {{schema}}.dim_customer AS stored
    SELECT * FROM new_dim_customer
    ON CONFLICT (customer_key) DO UPDATE SET
        customer_id = EXCLUDED.customer_id,
        first_rating_date = EXCLUDED.first_rating_date,
        last_rating_date = EXCLUDED.last_rating_date,
        total_ratings = EXCLUDED.total_ratings,
        avg_rating = EXCLUDED.avg_rating
    WHERE (stored.*) IS DISTINCT FROM (EXCLUDED.*)
    RETURNING (xmax = 0) AS inserted
)
SELECT 'dim_customer' AS table_name, count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated, 0 AS deleted
FROM applied;

-- fact_ratings: grain as in 10_tables.sql. Two statements: the stored keys (at most {{stored_max}}, the
-- target's largest rating_key before the apply: beaten ratings and probe flags, few) upserted by rating_key;
-- then the keys above it, which no stored row can hold, by a plain INSERT (no conflict arbiter to probe) in
-- {{fact_order}} order.
WITH applied AS (
    INSERT INTO {{schema}}.fact_ratings AS stored
    SELECT * FROM new_fact_ratings
    WHERE rating_key <= {{stored_max}}
    ON CONFLICT (rating_key) DO UPDATE SET
        customer_key = EXCLUDED.customer_key,
        movie_key = EXCLUDED.movie_key,
        date_key = EXCLUDED.date_key,
        rating = EXCLUDED.rating,
        is_probe = EXCLUDED.is_probe
    WHERE (stored.*) IS DISTINCT FROM (EXCLUDED.*)
    RETURNING (xmax = 0) AS inserted
)
SELECT 'fact_ratings' AS table_name, count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated, 0 AS deleted
FROM applied;

WITH added AS (
    INSERT INTO {{schema}}.fact_ratings
    SELECT * FROM new_fact_ratings
    WHERE rating_key > {{stored_max}}
    ORDER BY {{fact_order}}
    RETURNING 1
)
SELECT 'fact_ratings' AS table_name, count(*) AS inserted, 0 AS updated, 0 AS deleted FROM added;

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
