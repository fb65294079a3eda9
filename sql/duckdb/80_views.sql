-- v_daily_rating_summary: grain one row per day with ratings; key date_key.
CREATE VIEW v_daily_rating_summary AS
SELECT
    d.date_key,
    d.date_actual,
    count(*) AS rating_count,
    avg(f.rating) AS avg_rating
FROM fact_ratings AS f
JOIN dim_date AS d ON d.date_key = f.date_key
GROUP BY d.date_key, d.date_actual;

-- v_movie_performance: grain one row per movie (rated or not); key movie_key.
CREATE VIEW v_movie_performance AS
SELECT
    m.movie_key,
    m.movie_id,
    m.title,
    m.release_year,
    count(f.rating_key) AS rating_count,
    avg(f.rating) AS avg_rating,
    min(d.date_actual) AS first_rating_date,
    max(d.date_actual) AS last_rating_date
FROM dim_movie AS m
LEFT JOIN fact_ratings AS f ON f.movie_key = m.movie_key
LEFT JOIN dim_date AS d ON d.date_key = f.date_key
GROUP BY m.movie_key, m.movie_id, m.title, m.release_year;
