-- @summary Each customer's ratings per year: count, average, and the change of the average from their previous active year.
-- @param customer integer (optional): one customer_id; every customer when left out
-- @must-exist customer dim_customer.customer_id
-- Grain: one row per (customer, year) with ratings; key (customer_id, year).
-- Columns: customer_id, year, ratings, avg_rating, avg_change, first_rating, last_rating.
WITH ratings AS (
    SELECT c.customer_id, d.year, d.date_actual, f.rating
    FROM fact_ratings AS f
    JOIN dim_customer AS c ON c.customer_key = f.customer_key
    JOIN dim_date AS d ON d.date_key = f.date_key
    WHERE $customer IS NULL OR c.customer_id = $customer
),
per_year AS (
    SELECT
        customer_id,
        year,
        count(*) AS ratings,
        avg(rating) AS avg_rating,
        min(date_actual) AS first_rating,
        max(date_actual) AS last_rating
    FROM ratings
    GROUP BY customer_id, year
)
SELECT
    customer_id,
    year,
    ratings,
    round(avg_rating, 4) AS avg_rating,
    round(avg_rating - lag(avg_rating) OVER (PARTITION BY customer_id ORDER BY year), 4) AS avg_change,
    first_rating,
    last_rating
FROM per_year
ORDER BY customer_id, year;
