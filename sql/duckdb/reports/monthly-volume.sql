-- @summary Ratings per calendar month: count, average, active customers and rated movies.
-- Grain: one row per month with ratings; key month (YYYY-MM).
-- Columns: month, ratings, avg_rating, customers, movies.
-- Counts, averages and movies come from the aggregate tables (SPEC 2.1). A month's distinct customers are in
-- no aggregate (agg_customer_year is by year), so they alone are counted from fact_ratings, grouped on the
-- keys before anything is joined.
WITH per_month AS (
    SELECT a.date_key // 100 AS month_key, sum(a.rating_count) AS ratings, sum(a.rating_sum) AS rating_sum
    FROM agg_date AS a
    GROUP BY a.date_key // 100
),
movies AS (
    SELECT month_key, count(*) AS movies
    FROM agg_movie_month
    GROUP BY month_key
),
customers AS (
    SELECT date_key // 100 AS month_key, count(DISTINCT customer_key) AS customers
    FROM fact_ratings
    GROUP BY date_key // 100
)
SELECT
    printf('%04d-%02d', p.month_key // 100, p.month_key % 100) AS month,
    CAST(p.ratings AS BIGINT) AS ratings,
    round(CAST(p.rating_sum AS DOUBLE) / p.ratings, 4) AS avg_rating,
    c.customers,
    m.movies
FROM per_month AS p
JOIN customers AS c ON c.month_key = p.month_key
JOIN movies AS m ON m.month_key = p.month_key
ORDER BY p.month_key;
