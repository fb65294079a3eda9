-- day_stars: grain one (day, star) with ratings; key day_star = date_key * 8 + rating. What 57_agg_date.sql
-- rolls up into agg_date (SPEC 2.1: grain one row per day with ratings; key date_key).
-- Counted per (day, star) on one packed key (date_key * 8 + rating) and then spread into columns: half the
-- CPU of five FILTERed counts per day (0.14 s against 0.29 s per 10M ratings on one thread).
-- An append makes day_stars from its deltas instead (append/57_day_star_delta.sql).
CREATE TEMP TABLE day_stars AS
SELECT date_key * 8 + rating AS day_star, count(*) AS ratings
FROM fact_ratings
GROUP BY date_key * 8 + rating;
