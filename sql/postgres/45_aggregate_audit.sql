-- Audit of the aggregate tables (SPEC 2.1) in {{schema}}: each is recomputed from fact_ratings and compared
-- with what is stored, row by row (rows stored but not recomputed, and recomputed but not stored).
-- Grain: one row per aggregate table; key table_name. Columns: table_name, differing_rows (keys whose row is
-- missing, extra or has other values; 0 in a sound load), first_key (the smallest such key, as text; NULL when none).
-- One text for both engines, like 40_checksums.sql. nfx verify runs it on PostgreSQL, where it scans
-- fact_ratings once per table (minutes at 100M ratings): it checks, it does not serve.
-- date_key / 10000 and / 100 divide integers in PostgreSQL; in DuckDB they give a DOUBLE whose fraction (at most
-- .1231 and .31) the CAST rounds away, so both engines get the same year and month.
WITH movie_recomputed AS (
    SELECT
        m.movie_key,
        count(f.rating) AS rating_count,
        coalesce(sum(f.rating), 0) AS rating_sum,
        CAST(sum(f.rating) AS DOUBLE PRECISION) / nullif(count(f.rating), 0) AS avg_rating,
        count(*) FILTER (WHERE f.rating = 1) AS stars_1,
        count(*) FILTER (WHERE f.rating = 2) AS stars_2,
        count(*) FILTER (WHERE f.rating = 3) AS stars_3,
        count(*) FILTER (WHERE f.rating = 4) AS stars_4,
        count(*) FILTER (WHERE f.rating = 5) AS stars_5,
        min(d.date_actual) AS first_rating_date,
        max(d.date_actual) AS last_rating_date
    FROM {{schema}}.dim_movie AS m
    LEFT JOIN {{schema}}.fact_ratings AS f ON f.movie_key = m.movie_key
    LEFT JOIN {{schema}}.dim_date AS d ON d.date_key = f.date_key
    GROUP BY m.movie_key
),
movie_stored AS (
    SELECT movie_key, rating_count, rating_sum, avg_rating, stars_1, stars_2, stars_3, stars_4, stars_5, first_rating_date, last_rating_date
    FROM {{schema}}.agg_movie
),
movie_differences AS (
    SELECT movie_key FROM (SELECT * FROM movie_stored EXCEPT SELECT * FROM movie_recomputed) AS stored_only
    UNION
    SELECT movie_key FROM (SELECT * FROM movie_recomputed EXCEPT SELECT * FROM movie_stored) AS recomputed_only
),
date_recomputed AS (
    SELECT
        date_key,
        count(*) AS rating_count,
        sum(rating) AS rating_sum,
        CAST(sum(rating) AS DOUBLE PRECISION) / count(*) AS avg_rating,
        count(*) FILTER (WHERE rating = 1) AS stars_1,
        count(*) FILTER (WHERE rating = 2) AS stars_2,
        count(*) FILTER (WHERE rating = 3) AS stars_3,
        count(*) FILTER (WHERE rating = 4) AS stars_4,
        count(*) FILTER (WHERE rating = 5) AS stars_5
    FROM {{schema}}.fact_ratings
    GROUP BY date_key
),
date_stored AS (
    SELECT date_key, rating_count, rating_sum, avg_rating, stars_1, stars_2, stars_3, stars_4, stars_5
    FROM {{schema}}.agg_date
),
date_differences AS (
    SELECT date_key FROM (SELECT * FROM date_stored EXCEPT SELECT * FROM date_recomputed) AS stored_only
    UNION
    SELECT date_key FROM (SELECT * FROM date_recomputed EXCEPT SELECT * FROM date_stored) AS recomputed_only
),
customer_year_recomputed AS (
    SELECT
        customer_key,
        CAST(date_key / 10000 AS SMALLINT) AS year,
        count(*) AS rating_count,
        sum(rating) AS rating_sum,
        CAST(sum(rating) AS DOUBLE PRECISION) / count(*) AS avg_rating
    FROM {{schema}}.fact_ratings
    GROUP BY customer_key, CAST(date_key / 10000 AS SMALLINT)
),
customer_year_stored AS (
    SELECT customer_key, year, rating_count, rating_sum, avg_rating
    FROM {{schema}}.agg_customer_year
),
customer_year_differences AS (
    SELECT customer_key, year FROM (SELECT * FROM customer_year_stored EXCEPT SELECT * FROM customer_year_recomputed) AS stored_only
    UNION
    SELECT customer_key, year FROM (SELECT * FROM customer_year_recomputed EXCEPT SELECT * FROM customer_year_stored) AS recomputed_only
),
movie_month_recomputed AS (
    SELECT
        movie_key,
        CAST(date_key / 100 AS INTEGER) AS month_key,
        count(*) AS rating_count,
        sum(rating) AS rating_sum
    FROM {{schema}}.fact_ratings
    GROUP BY movie_key, CAST(date_key / 100 AS INTEGER)
),
movie_month_stored AS (
    SELECT movie_key, month_key, rating_count, rating_sum
    FROM {{schema}}.agg_movie_month
),
movie_month_differences AS (
    SELECT movie_key, month_key FROM (SELECT * FROM movie_month_stored EXCEPT SELECT * FROM movie_month_recomputed) AS stored_only
    UNION
    SELECT movie_key, month_key FROM (SELECT * FROM movie_month_recomputed EXCEPT SELECT * FROM movie_month_stored) AS recomputed_only
)
SELECT 'agg_movie' AS table_name, count(*) AS differing_rows, 'movie_key ' || CAST(min(movie_key) AS TEXT) AS first_key
FROM movie_differences
UNION ALL
SELECT 'agg_date', count(*), 'date_key ' || CAST(min(date_key) AS TEXT)
FROM date_differences
UNION ALL
SELECT 'agg_customer_year', count(*), 'customer_key ' || CAST(min(customer_key) AS TEXT)
FROM customer_year_differences
UNION ALL
SELECT 'agg_movie_month', count(*), 'movie_key ' || CAST(min(movie_key) AS TEXT)
FROM movie_month_differences;
