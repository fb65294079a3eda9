-- agg_date: grain one row per day with ratings; key date_key (SPEC 2.1). The roll-up of day_stars
-- (57_day_stars.sql, or an append's append/57_day_star_delta.sql), which it drops. A day whose ratings an
-- append moved elsewhere adds up to no rating and gets no row.
-- Columns: date_key, rating_count, rating_sum, avg_rating = rating_sum / rating_count, stars_1 .. stars_5.
INSERT INTO agg_date
WITH per_day AS (
    SELECT
        CAST(day_star // 8 AS INTEGER) AS date_key,
        sum(ratings) AS rating_count,
        sum(ratings * (day_star % 8)) AS rating_sum,
        sum(ratings) FILTER (WHERE day_star % 8 = 1) AS stars_1,
        sum(ratings) FILTER (WHERE day_star % 8 = 2) AS stars_2,
        sum(ratings) FILTER (WHERE day_star % 8 = 3) AS stars_3,
        sum(ratings) FILTER (WHERE day_star % 8 = 4) AS stars_4,
        sum(ratings) FILTER (WHERE day_star % 8 = 5) AS stars_5
    FROM day_stars
    GROUP BY day_star // 8
)
SELECT
    date_key,
    CAST(rating_count AS BIGINT) AS rating_count,
    CAST(rating_sum AS BIGINT) AS rating_sum,
    CAST(rating_sum AS DOUBLE) / rating_count AS avg_rating,
    CAST(coalesce(stars_1, 0) AS BIGINT) AS stars_1,
    CAST(coalesce(stars_2, 0) AS BIGINT) AS stars_2,
    CAST(coalesce(stars_3, 0) AS BIGINT) AS stars_3,
    CAST(coalesce(stars_4, 0) AS BIGINT) AS stars_4,
    CAST(coalesce(stars_5, 0) AS BIGINT) AS stars_5
FROM per_day
WHERE rating_count > 0
ORDER BY date_key;

DROP TABLE day_stars;
