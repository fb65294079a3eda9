-- @summary Ratings by the movie's release year: movies, ratings and average (unknown years last).
-- Grain: one row per release year of a rated movie (NULL = unknown); key release_year.
-- Columns: release_year, movies, ratings, avg_rating.
-- Reads agg_movie (SPEC 2.1): one row per movie with its count and sum of ratings.
SELECT
    m.release_year,
    count(*) AS movies,
    CAST(sum(a.rating_count) AS BIGINT) AS ratings,
    round(CAST(sum(a.rating_sum) AS DOUBLE) / sum(a.rating_count), 4) AS avg_rating
FROM agg_movie AS a
JOIN dim_movie AS m ON m.movie_key = a.movie_key
WHERE a.rating_count > 0
GROUP BY m.release_year
ORDER BY m.release_year NULLS LAST;
