-- agg_movie_month: grain one row per (movie, calendar month) with ratings; key (movie_key, month_key)
-- (SPEC 2.1). month_key is YYYYMM. A roll-up of movie_month_stars (55_agg_movie.sql), which it drops.
INSERT INTO agg_movie_month
SELECT
    movie_key,
    CAST(month_key AS INTEGER) AS month_key,
    CAST(sum(rating_count) AS BIGINT) AS rating_count,
    CAST(sum(rating_count * rating) AS BIGINT) AS rating_sum
FROM movie_month_stars
GROUP BY movie_key, month_key
ORDER BY movie_key, month_key;

DROP TABLE movie_month_stars;
