-- Ratings and their average per calendar year, from the fact table.
SELECT d.year, count(*) AS ratings, avg(CAST(f.rating AS DOUBLE PRECISION)) AS avg_rating
FROM fact_ratings AS f JOIN dim_date AS d ON d.date_key = f.date_key
GROUP BY d.year
ORDER BY d.year
