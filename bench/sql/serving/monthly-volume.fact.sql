-- Ratings per year and month, from the fact table.
SELECT d.year, d.month, count(*) AS ratings
FROM fact_ratings AS f JOIN dim_date AS d ON d.date_key = f.date_key
GROUP BY d.year, d.month
ORDER BY d.year, d.month
