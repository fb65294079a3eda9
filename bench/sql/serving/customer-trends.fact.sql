-- Every customer's ratings and average per year (2.7M rows at 100M ratings), from the fact table.
SELECT f.customer_key, d.year, count(*) AS ratings, avg(CAST(f.rating AS DOUBLE PRECISION)) AS avg_rating
FROM fact_ratings AS f JOIN dim_date AS d ON d.date_key = f.date_key
GROUP BY f.customer_key, d.year
