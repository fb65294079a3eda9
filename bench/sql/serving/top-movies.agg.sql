-- The 10 most rated movies, from agg_movie (one row per movie).
SELECT m.movie_id, m.title, a.rating_count AS ratings, a.avg_rating
FROM agg_movie AS a JOIN dim_movie AS m ON m.movie_key = a.movie_key
ORDER BY a.rating_count DESC, m.movie_id
LIMIT 10
