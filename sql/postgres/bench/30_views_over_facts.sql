-- The two views as they were before the aggregate tables (SPEC 2.1), over fact_ratings: the bench's reference
-- export without the aggregates (issue 16, `npm run bench -- --aggregate-compare`, NFX_BENCH_NO_AGGREGATES=1,
-- src/bench-reference.ts); never run for users. Same names, columns and grains as 30_views.sql.
-- v_daily_rating_summary: grain one row per day with ratings; key date_key.
CREATE VIEW {{schema}}.v_daily_rating_summary AS
SELECT
    d.date_key,
    d.date_actual,
    count(*) AS rating_count,
    avg(CAST(f.rating AS DOUBLE PRECISION)) AS avg_rating
FROM {{schema}}.fact_ratings AS f
JOIN {{schema}}.dim_date AS d ON d.date_key = f.date_key
GROUP BY d.date_key, d.date_actual;

-- v_movie_performance: grain one row per movie (rated or not); key movie_key.
CREATE VIEW {{schema}}.v_movie_performance AS
SELECT
    m.movie_key,
    m.movie_id,
    m.title,
    m.release_year,
    count(f.rating_key) AS rating_count,
    avg(CAST(f.rating AS DOUBLE PRECISION)) AS avg_rating,
    min(d.date_actual) AS first_rating_date,
    max(d.date_actual) AS last_rating_date
FROM {{schema}}.dim_movie AS m
LEFT JOIN {{schema}}.fact_ratings AS f ON f.movie_key = m.movie_key
LEFT JOIN {{schema}}.dim_date AS d ON d.date_key = f.date_key
GROUP BY m.movie_key, m.movie_id, m.title, m.release_year;
