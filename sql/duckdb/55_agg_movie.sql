-- agg_movie: grain one row per dim_movie row, unrated movies included; key movie_key (SPEC 2.1).
-- Columns: movie_key, rating_count, rating_sum, avg_rating (NULL without ratings), stars_1 .. stars_5,
-- first_rating_date, last_rating_date (NULL without ratings). Counts and sums are exact BIGINTs and
-- avg_rating = rating_sum / rating_count, so every engine that reads them gets the same values.
-- movie_month_stars (one row per movie, month and star value) is the one scan of fact_ratings by movie:
-- agg_movie and agg_movie_month (56_agg_movie_month.sql) both roll it up; 56 drops it.
-- {{movies_in_scope}}: TRUE in a full transform; in an append, the movies it touched or added (whose rows
-- append/54_agg_scope.sql deleted), as a predicate on movie_key.
CREATE TEMP TABLE movie_month_stars AS
SELECT
    movie_key,
    date_key // 100 AS month_key,
    rating,
    count(*) AS rating_count,
    min(date_key) AS first_date_key,
    max(date_key) AS last_date_key
FROM fact_ratings
WHERE {{movies_in_scope}}
GROUP BY movie_key, date_key // 100, rating;

INSERT INTO agg_movie
WITH per_movie AS (
    SELECT
        movie_key,
        sum(rating_count) AS rating_count,
        sum(rating_count * rating) AS rating_sum,
        sum(rating_count) FILTER (WHERE rating = 1) AS stars_1,
        sum(rating_count) FILTER (WHERE rating = 2) AS stars_2,
        sum(rating_count) FILTER (WHERE rating = 3) AS stars_3,
        sum(rating_count) FILTER (WHERE rating = 4) AS stars_4,
        sum(rating_count) FILTER (WHERE rating = 5) AS stars_5,
        min(first_date_key) AS first_date_key,
        max(last_date_key) AS last_date_key
    FROM movie_month_stars
    GROUP BY movie_key
)
SELECT
    m.movie_key,
    CAST(coalesce(p.rating_count, 0) AS BIGINT) AS rating_count,
    CAST(coalesce(p.rating_sum, 0) AS BIGINT) AS rating_sum,
    CAST(p.rating_sum AS DOUBLE) / p.rating_count AS avg_rating,
    CAST(coalesce(p.stars_1, 0) AS BIGINT) AS stars_1,
    CAST(coalesce(p.stars_2, 0) AS BIGINT) AS stars_2,
    CAST(coalesce(p.stars_3, 0) AS BIGINT) AS stars_3,
    CAST(coalesce(p.stars_4, 0) AS BIGINT) AS stars_4,
    CAST(coalesce(p.stars_5, 0) AS BIGINT) AS stars_5,
    date_of_key(p.first_date_key) AS first_rating_date,
    date_of_key(p.last_date_key) AS last_rating_date
FROM dim_movie AS m
LEFT JOIN per_movie AS p ON p.movie_key = m.movie_key
WHERE m.movie_key IN (SELECT movie_key FROM dim_movie WHERE {{movies_in_scope}})
ORDER BY m.movie_key;
