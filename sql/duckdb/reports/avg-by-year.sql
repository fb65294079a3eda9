-- @summary Ratings per calendar year of the rating: count, average, active customers and rated movies.
-- Grain: one row per year with ratings; key year.
-- Columns: year, ratings, avg_rating, customers, movies.
-- Reads the aggregate tables only (SPEC 2.1): a year's customers are its rows of agg_customer_year, its movies
-- the distinct movies of its rows of agg_movie_month.
WITH per_year AS (
    SELECT d.year, sum(a.rating_count) AS ratings, sum(a.rating_sum) AS rating_sum
    FROM agg_date AS a
    JOIN dim_date AS d ON d.date_key = a.date_key
    GROUP BY d.year
),
customers AS (
    SELECT year, count(*) AS customers
    FROM agg_customer_year
    GROUP BY year
),
movies AS (
    SELECT month_key // 100 AS year, count(DISTINCT movie_key) AS movies
    FROM agg_movie_month
    GROUP BY month_key // 100
)
SELECT
    p.year,
    CAST(p.ratings AS BIGINT) AS ratings,
    round(CAST(p.rating_sum AS DOUBLE) / p.ratings, 4) AS avg_rating,
    c.customers,
    m.movies
FROM per_year AS p
JOIN customers AS c ON c.year = p.year
JOIN movies AS m ON m.year = p.year
ORDER BY p.year;
