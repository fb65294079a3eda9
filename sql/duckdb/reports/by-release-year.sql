-- @summary Ratings by the movie's release year: movies, ratings and average (unknown years last).
-- Grain: one row per release year of a rated movie (NULL = unknown); key release_year.
-- Columns: release_year, movies, ratings, avg_rating.
WITH ratings AS (
    SELECT m.release_year, m.movie_key, f.rating
    FROM fact_ratings AS f
    JOIN dim_movie AS m ON m.movie_key = f.movie_key
)
SELECT
    release_year,
    count(DISTINCT movie_key) AS movies,
    count(*) AS ratings,
    round(avg(rating), 4) AS avg_rating
FROM ratings
GROUP BY release_year
ORDER BY release_year NULLS LAST;
