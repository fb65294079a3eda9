-- All of v_movie_performance as the view was defined before the aggregates: over the fact table.
SELECT m.movie_key, m.movie_id, m.title, m.release_year, count(f.rating_key) AS rating_count,
    avg(CAST(f.rating AS DOUBLE PRECISION)) AS avg_rating, min(d.date_actual) AS first_rating_date, max(d.date_actual) AS last_rating_date
FROM dim_movie AS m
LEFT JOIN fact_ratings AS f ON f.movie_key = m.movie_key
LEFT JOIN dim_date AS d ON d.date_key = f.date_key
GROUP BY m.movie_key, m.movie_id, m.title, m.release_year
