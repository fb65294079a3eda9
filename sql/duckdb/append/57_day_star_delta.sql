-- day_stars (append): grain one (day, star) of a day the append touched; key day_star = date_key * 8 + rating,
-- as ../57_day_stars.sql makes it for every day. agg_date's counts add up, so instead of a scan of
-- fact_ratings each touched day is its stored agg_date row plus what the append changed (fact_delta,
-- 54_agg_scope.sql: +1 for every new fact row and every beaten row's new date and rating, -1 for its old
-- ones). Those days' rows are deleted here; ../57_agg_date.sql rolls day_stars up into their new rows. Drops
-- fact_delta, which the aggregate files have read; fact_new and fact_change stay for 90_change_log.sql.
CREATE TEMP TABLE day_stars AS
WITH delta AS (
    SELECT date_key * 8 + rating AS day_star, n FROM fact_delta
),
touched AS (
    SELECT a.*
    FROM agg_date AS a
    WHERE a.date_key IN (SELECT DISTINCT day_star // 8 FROM delta)
),
stored AS (
    SELECT date_key * 8 + 1 AS day_star, stars_1 AS n FROM touched
    UNION ALL SELECT date_key * 8 + 2, stars_2 FROM touched
    UNION ALL SELECT date_key * 8 + 3, stars_3 FROM touched
    UNION ALL SELECT date_key * 8 + 4, stars_4 FROM touched
    UNION ALL SELECT date_key * 8 + 5, stars_5 FROM touched
)
SELECT day_star, sum(n) AS ratings
FROM (SELECT day_star, n FROM stored UNION ALL SELECT day_star, n FROM delta)
GROUP BY day_star;

DELETE FROM agg_date WHERE date_key IN (SELECT DISTINCT day_star // 8 FROM day_stars);

DROP TABLE fact_delta;
