-- agg_date: grain one row per day with ratings; key date_key (SPEC 2.1).
-- Columns: date_key, rating_count, rating_sum, avg_rating = rating_sum / rating_count, stars_1 .. stars_5.
CREATE TABLE agg_date AS
SELECT
    date_key,
    count(*) AS rating_count,
    CAST(sum(rating) AS BIGINT) AS rating_sum,
    CAST(sum(rating) AS DOUBLE) / count(*) AS avg_rating,
    count(*) FILTER (WHERE rating = 1) AS stars_1,
    count(*) FILTER (WHERE rating = 2) AS stars_2,
    count(*) FILTER (WHERE rating = 3) AS stars_3,
    count(*) FILTER (WHERE rating = 4) AS stars_4,
    count(*) FILTER (WHERE rating = 5) AS stars_5
FROM fact_ratings
GROUP BY date_key
ORDER BY date_key;
