-- @summary The most rated movies, with their average rating.
-- @param limit integer = 20: how many movies to list
-- Grain: one row per movie; key movie_id. Ordered by ratings (most first), then movie_id.
-- Columns: rank, movie_id, title, release_year, ratings, avg_rating, first_rating, last_rating.
WITH movie_performance AS (
    SELECT movie_id, title, release_year, rating_count, avg_rating, first_rating_date, last_rating_date
    FROM v_movie_performance
    WHERE rating_count > 0
)
SELECT
    CAST(row_number() OVER (ORDER BY rating_count DESC, movie_id) AS INTEGER) AS rank,
    movie_id,
    title,
    release_year,
    rating_count AS ratings,
    round(avg_rating, 4) AS avg_rating,
    first_rating_date AS first_rating,
    last_rating_date AS last_rating
FROM movie_performance
ORDER BY rank
LIMIT $limit;
