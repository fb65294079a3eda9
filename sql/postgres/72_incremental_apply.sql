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

-- fact_ratings: grain as in 10_tables.sql. The stored keys (at most {{stored_max}}, the target's largest
-- rating_key before the apply: beaten ratings and probe flags, few) upserted by rating_key here; the keys
-- above it, which no stored row can hold, go in next (76_new_facts.sql).
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
