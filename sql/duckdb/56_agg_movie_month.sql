-- agg_movie_month: grain one row per (movie, calendar month) with ratings; key (movie_key, month_key)
-- (SPEC 2.1). month_key is YYYYMM. Rolled up from what the parse threads counted per movie run and month
-- (stg_count_movie_month, 01_staging.sql) less the occurrences the duplicate rule dropped (dup_loser_rating);
-- a month left with none (its one rating lost to a later date) has no row.
INSERT INTO agg_movie_month
WITH month_counts AS (
    SELECT movie_month >> 32 AS movie_id, movie_month & 4294967295 AS month_key, ratings, rating_sum
    FROM stg_count_movie_month
    UNION ALL
    SELECT movie_id, date_key // 100, -count(*), -sum(rating)
    FROM dup_loser_rating
    GROUP BY movie_id, date_key // 100
)
SELECT
    m.movie_key,
    CAST(c.month_key AS INTEGER) AS month_key,
    CAST(sum(c.ratings) AS BIGINT) AS rating_count,
    CAST(sum(c.rating_sum) AS BIGINT) AS rating_sum
FROM month_counts AS c
JOIN dim_movie AS m ON m.movie_id = c.movie_id
GROUP BY m.movie_key, c.month_key
HAVING sum(c.ratings) > 0
ORDER BY m.movie_key, month_key;
