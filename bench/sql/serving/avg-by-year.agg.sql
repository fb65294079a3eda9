-- Ratings and their average per calendar year, from agg_date (one row per day).
SELECT d.year, sum(a.rating_count) AS ratings, CAST(sum(a.rating_sum) AS DOUBLE PRECISION) / sum(a.rating_count) AS avg_rating
FROM agg_date AS a JOIN dim_date AS d ON d.date_key = a.date_key
GROUP BY d.year
ORDER BY d.year
