-- @summary The best movies of each release year by damped mean, so a movie with a few 5-star ratings does not top the list.
-- @param year integer (optional): one release year; every year when left out
-- @must-exist year dim_movie.release_year
-- @param limit integer = 10: how many movies to list per year
-- @param prior integer = 100: how many ratings of the overall mean each movie's ratings are mixed with
-- Grain: one row per (release year, rank) for rated movies with a known release year; key (release_year, rank).
-- Ordered by release_year, then rank (damped mean, highest first; ties by movie_id).
-- Columns: release_year, rank, movie_id, title, rating_count, avg_rating, damped_mean.
-- damped_mean = (rating_sum + prior * mu) / (rating_count + prior), mu = the mean of all ratings. Averages
-- are shown to 4 decimals; the rank uses the exact damped mean.
WITH movie_totals AS (
    -- per movie: count and sum of its ratings, from agg_movie (SPEC 2.1; unrated movies have 0)
    SELECT movie_key, rating_count, rating_sum
    FROM agg_movie
),
overall AS (
    SELECT sum(rating_sum) / sum(rating_count) AS mu
    FROM movie_totals
),
damped AS (
    SELECT
        m.release_year,
        m.movie_id,
        m.title,
        t.rating_count,
        t.rating_sum / t.rating_count AS avg_rating,
        (t.rating_sum + $prior * o.mu) / (t.rating_count + $prior) AS damped_mean
    FROM movie_totals AS t
    JOIN dim_movie AS m ON m.movie_key = t.movie_key
    CROSS JOIN overall AS o
    WHERE t.rating_count > 0
      AND m.release_year IS NOT NULL
      AND ($year IS NULL OR m.release_year = $year)
),
ranked AS (
    SELECT
        *,
        CAST(row_number() OVER (PARTITION BY release_year ORDER BY damped_mean DESC, movie_id) AS INTEGER) AS rank
    FROM damped
)
SELECT
    release_year,
    rank,
    movie_id,
    title,
    rating_count,
    round(avg_rating, 4) AS avg_rating,
    round(damped_mean, 4) AS damped_mean
FROM ranked
WHERE rank <= $limit
ORDER BY release_year, rank;
