-- All of v_daily_rating_summary as the view was defined before the aggregates: over the fact table.
SELECT d.date_key, d.date_actual, count(*) AS rating_count, avg(CAST(f.rating AS DOUBLE PRECISION)) AS avg_rating
FROM fact_ratings AS f JOIN dim_date AS d ON d.date_key = f.date_key
GROUP BY d.date_key, d.date_actual
