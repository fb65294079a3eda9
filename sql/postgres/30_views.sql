-- The two views of the star schema, as in DuckDB (sql/duckdb/80_views.sql): they read the aggregate tables
-- (SPEC 2.1), so a dashboard tile on them answers in milliseconds instead of scanning fact_ratings.
-- v_daily_rating_summary: grain one row per day with ratings; key date_key.
CREATE VIEW {{schema}}.v_daily_rating_summary AS
SELECT
    a.date_key,
    d.date_actual,
    a.rating_count,
    a.avg_rating
FROM {{schema}}.agg_date AS a
JOIN {{schema}}.dim_date AS d ON d.date_key = a.date_key;

-- v_movie_performance: grain one row per movie (rated or not); key movie_key.
CREATE VIEW {{schema}}.v_movie_performance AS
SELECT
    m.movie_key,
    m.movie_id,
    m.title,
    m.release_year,
    a.rating_count,
    a.avg_rating,
    a.first_rating_date,
    a.last_rating_date
FROM {{schema}}.dim_movie AS m
JOIN {{schema}}.agg_movie AS a ON a.movie_key = m.movie_key;
