-- @summary Ratings per calendar year of the rating: count, average, active customers and rated movies.
-- Grain: one row per year with ratings; key year.
-- Columns: year, ratings, avg_rating, customers, movies.
WITH ratings AS (
    SELECT d.year, f.rating, f.customer_key, f.movie_key
    FROM fact_ratings AS f
    JOIN dim_date AS d ON d.date_key = f.date_key
)
SELECT
    year,
    count(*) AS ratings,
    round(avg(rating), 4) AS avg_rating,
    count(DISTINCT customer_key) AS customers,
    count(DISTINCT movie_key) AS movies
FROM ratings
GROUP BY year
ORDER BY year;
