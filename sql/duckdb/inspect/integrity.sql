-- Grain: one row of integrity checks over the star schema in {{schema}} (a quoted schema name).
-- Written once for both engines: nfx inspect runs it on DuckDB ({{schema}} = main), nfx verify on DuckDB and
-- on PostgreSQL, so the two sides count the same way. Every column but the last two is 0 in a sound load.
-- Columns: ratings_out_of_range (rating outside 1..5), orphan_customer_keys, orphan_movie_keys,
-- orphan_date_keys (fact rows whose key has no dimension row), daily_summary_rows, movie_performance_rows
-- (rows of the two views), orphan_qualifying_keys (fact_qualifying rows with a key missing from its dimension).
SELECT
    (SELECT count(*) FROM {{schema}}.fact_ratings WHERE rating < 1 OR rating > 5) AS ratings_out_of_range,
    (
        SELECT count(*) FROM {{schema}}.fact_ratings AS f
        WHERE NOT EXISTS (SELECT 1 FROM {{schema}}.dim_customer AS c WHERE c.customer_key = f.customer_key)
    ) AS orphan_customer_keys,
    (
        SELECT count(*) FROM {{schema}}.fact_ratings AS f
        WHERE NOT EXISTS (SELECT 1 FROM {{schema}}.dim_movie AS m WHERE m.movie_key = f.movie_key)
    ) AS orphan_movie_keys,
    (
        SELECT count(*) FROM {{schema}}.fact_ratings AS f
        WHERE NOT EXISTS (SELECT 1 FROM {{schema}}.dim_date AS d WHERE d.date_key = f.date_key)
    ) AS orphan_date_keys,
    (
        SELECT count(*) FROM {{schema}}.fact_qualifying AS q
        WHERE NOT EXISTS (SELECT 1 FROM {{schema}}.dim_customer AS c WHERE c.customer_key = q.customer_key)
           OR NOT EXISTS (SELECT 1 FROM {{schema}}.dim_movie AS m WHERE m.movie_key = q.movie_key)
           OR NOT EXISTS (SELECT 1 FROM {{schema}}.dim_date AS d WHERE d.date_key = q.date_key)
    ) AS orphan_qualifying_keys,
    (SELECT count(*) FROM {{schema}}.v_daily_rating_summary) AS daily_summary_rows,
    (SELECT count(*) FROM {{schema}}.v_movie_performance) AS movie_performance_rows;
