-- The two views of the star schema read the aggregate tables (SPEC 2.1), so they answer without a scan of
-- fact_ratings; their columns and values are those of the same views written over fact_ratings.
-- v_daily_rating_summary: grain one row per day with ratings; key date_key.
CREATE VIEW v_daily_rating_summary AS
SELECT
    a.date_key,
    d.date_actual,
    a.rating_count,
    a.avg_rating
FROM agg_date AS a
JOIN dim_date AS d ON d.date_key = a.date_key;

-- v_movie_performance: grain one row per movie (rated or not); key movie_key.
CREATE VIEW v_movie_performance AS
SELECT
    m.movie_key,
    m.movie_id,
    m.title,
    m.release_year,
    a.rating_count,
    a.avg_rating,
    a.first_rating_date,
    a.last_rating_date
FROM dim_movie AS m
JOIN agg_movie AS a ON a.movie_key = m.movie_key;
