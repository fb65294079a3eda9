-- @summary Ratings per calendar month: count, average, active customers and rated movies.
-- Grain: one row per month with ratings; key month (YYYY-MM).
-- Columns: month, ratings, avg_rating, customers, movies.
WITH ratings AS (
    SELECT d.year, d.month, f.rating, f.customer_key, f.movie_key
    FROM fact_ratings AS f
    JOIN dim_date AS d ON d.date_key = f.date_key
)
SELECT
    printf('%04d-%02d', year, month) AS month,
    count(*) AS ratings,
    round(avg(rating), 4) AS avg_rating,
    count(DISTINCT customer_key) AS customers,
    count(DISTINCT movie_key) AS movies
FROM ratings
GROUP BY year, month
ORDER BY year, month;
