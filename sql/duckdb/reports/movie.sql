-- @summary One movie's rating history, month by month, with running totals.
-- @param id integer (required): the movie_id (as in the input files)
-- @must-exist id dim_movie.movie_id
-- Grain: one row per month in which the movie was rated; key month (YYYY-MM).
-- Columns: movie_id, title, release_year, month, ratings, avg_rating, total_ratings, total_avg_rating.
-- Reads the movie's rows of agg_movie_month (SPEC 2.1).
WITH movie AS (
    SELECT movie_key, movie_id, title, release_year
    FROM dim_movie
    WHERE movie_id = $id
),
per_month AS (
    SELECT a.month_key, a.rating_count AS ratings, a.rating_sum
    FROM agg_movie_month AS a
    JOIN movie AS m ON m.movie_key = a.movie_key
)
SELECT
    m.movie_id,
    m.title,
    m.release_year,
    printf('%04d-%02d', p.month_key // 100, p.month_key % 100) AS month,
    p.ratings,
    round(p.rating_sum / p.ratings, 4) AS avg_rating,
    CAST(sum(p.ratings) OVER running AS BIGINT) AS total_ratings,
    round(sum(p.rating_sum) OVER running / sum(p.ratings) OVER running, 4) AS total_avg_rating
FROM per_month AS p
CROSS JOIN movie AS m
WINDOW running AS (ORDER BY p.month_key ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
ORDER BY p.month_key;
