-- Ratings per year and month, from agg_date.
SELECT d.year, d.month, sum(a.rating_count) AS ratings
FROM agg_date AS a JOIN dim_date AS d ON d.date_key = a.date_key
GROUP BY d.year, d.month
ORDER BY d.year, d.month
