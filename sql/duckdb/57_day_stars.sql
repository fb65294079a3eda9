-- day_stars: grain one (day, star) with ratings; key day_star = date_key * 8 + rating. What 57_agg_date.sql
-- rolls up into agg_date (SPEC 2.1: grain one row per day with ratings; key date_key).
-- What the parse threads counted per rating file, day and star (stg_count_day_star, 01_staging.sql) less the
-- occurrences the duplicate rule dropped (dup_loser_rating); a (day, star) left with none adds up to 0 and
-- 57_agg_date.sql leaves out a day whose ratings add up to none.
-- An append makes day_stars from its deltas instead (append/57_day_star_delta.sql).
CREATE TEMP TABLE day_stars AS
SELECT day_star, sum(ratings) AS ratings
FROM (
    SELECT day_star, ratings
    FROM stg_count_day_star
    UNION ALL
    SELECT CAST(date_key AS BIGINT) * 8 + rating, -count(*)
    FROM dup_loser_rating
    GROUP BY date_key, rating
)
GROUP BY day_star;
