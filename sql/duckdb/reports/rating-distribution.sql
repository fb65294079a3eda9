-- @summary How many ratings of each star value (1..5), and their share of all ratings.
-- Grain: one row per star value 1..5 (values never given still appear, with 0); key rating.
-- Columns: rating, ratings, share (percent of all ratings).
WITH stars AS (
    SELECT CAST(unnest(range(1, 6)) AS SMALLINT) AS rating
),
counted AS (
    SELECT rating, count(*) AS ratings
    FROM fact_ratings
    GROUP BY rating
)
SELECT
    s.rating,
    coalesce(c.ratings, 0) AS ratings,
    round(100.0 * coalesce(c.ratings, 0) / nullif(sum(coalesce(c.ratings, 0)) OVER (), 0), 2) AS share
FROM stars AS s
LEFT JOIN counted AS c ON c.rating = s.rating
ORDER BY s.rating;
