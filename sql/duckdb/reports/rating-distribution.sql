-- @summary How many ratings of each star value (1..5), and their share of all ratings.
-- Grain: one row per star value 1..5 (values never given still appear, with 0); key rating.
-- Columns: rating, ratings, share (percent of all ratings).
-- Reads the star counts of agg_date (SPEC 2.1), summed over the days.
WITH totals AS (
    SELECT
        coalesce(sum(stars_1), 0) AS stars_1,
        coalesce(sum(stars_2), 0) AS stars_2,
        coalesce(sum(stars_3), 0) AS stars_3,
        coalesce(sum(stars_4), 0) AS stars_4,
        coalesce(sum(stars_5), 0) AS stars_5
    FROM agg_date
),
counted AS (
    SELECT CAST(1 AS SMALLINT) AS rating, CAST(stars_1 AS BIGINT) AS ratings FROM totals
    UNION ALL SELECT 2, stars_2 FROM totals
    UNION ALL SELECT 3, stars_3 FROM totals
    UNION ALL SELECT 4, stars_4 FROM totals
    UNION ALL SELECT 5, stars_5 FROM totals
)
SELECT
    rating,
    ratings,
    round(100.0 * ratings / nullif(sum(ratings) OVER (), 0), 2) AS share
FROM counted
ORDER BY rating;
