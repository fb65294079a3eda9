-- The 10 most rated movies, counted from the fact table (a scan of every rating).
SELECT m.movie_id, m.title, count(*) AS ratings, avg(CAST(f.rating AS DOUBLE PRECISION)) AS avg_rating
FROM fact_ratings AS f JOIN dim_movie AS m ON m.movie_key = f.movie_key
GROUP BY m.movie_id, m.title
ORDER BY ratings DESC, m.movie_id
LIMIT 10
