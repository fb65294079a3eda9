-- agg_movie: grain one row per dim_movie row, unrated movies included; key movie_key (SPEC 2.1).
-- Columns: movie_key, rating_count, rating_sum, avg_rating (NULL without ratings), stars_1 .. stars_5,
-- first_rating_date, last_rating_date (NULL without ratings). Counts and sums are exact BIGINTs and
-- avg_rating = rating_sum / rating_count, so every engine that reads them gets the same values.
-- Rolled up from what the parse threads counted per movie run and star (stg_count_movie_star, 01_staging.sql)
-- less the occurrences the duplicate rule dropped (dup_loser_rating): no scan of fact_ratings. A dropped
-- occurrence may have held its movie's first date (the later date wins), so the movies that lost one have
-- their first and last dates found again in fact_ratings, which is stored in movie order: the zone maps skip
-- the other movies' row groups.
INSERT INTO agg_movie
WITH star_counts AS (
    SELECT
        movie_star // 8 AS movie_id,
        movie_star % 8 AS star,
        ratings,
        first_last >> 32 AS first_date_key,
        first_last & 4294967295 AS last_date_key
    FROM stg_count_movie_star
    UNION ALL
    SELECT movie_id, rating, -count(*), NULL, NULL
    FROM dup_loser_rating
    GROUP BY movie_id, rating
),
per_movie AS (
    SELECT
        movie_id,
        sum(ratings) AS rating_count,
        sum(ratings * star) AS rating_sum,
        sum(ratings) FILTER (WHERE star = 1) AS stars_1,
        sum(ratings) FILTER (WHERE star = 2) AS stars_2,
        sum(ratings) FILTER (WHERE star = 3) AS stars_3,
        sum(ratings) FILTER (WHERE star = 4) AS stars_4,
        sum(ratings) FILTER (WHERE star = 5) AS stars_5,
        min(first_date_key) AS first_date_key,
        max(last_date_key) AS last_date_key
    FROM star_counts
    GROUP BY movie_id
),
dated_again AS (
    SELECT f.movie_key, min(f.date_key) AS first_date_key, max(f.date_key) AS last_date_key
    FROM fact_ratings AS f
    WHERE f.movie_key IN (SELECT movie_key FROM dim_movie WHERE movie_id IN (SELECT movie_id FROM dup_loser_rating))
    GROUP BY f.movie_key
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
    date_of_key(coalesce(d.first_date_key, p.first_date_key)) AS first_rating_date,
    date_of_key(coalesce(d.last_date_key, p.last_date_key)) AS last_rating_date
FROM dim_movie AS m
LEFT JOIN per_movie AS p ON p.movie_id = m.movie_id
LEFT JOIN dated_again AS d ON d.movie_key = m.movie_key
ORDER BY m.movie_key;
