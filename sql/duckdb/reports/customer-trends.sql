-- @summary Each customer's ratings per year: count, average, and the change of the average from their previous active year.
-- @param customer integer (optional): one customer_id; every customer when left out
-- @must-exist customer dim_customer.customer_id
-- Grain: one row per (customer, year) with ratings; key (customer_id, year).
-- Columns: customer_id, year, ratings, avg_rating, avg_change, first_rating, last_rating.
-- Counts and averages are agg_customer_year's (SPEC 2.1); a year's first and last rating dates are in no
-- aggregate, so they are taken from fact_ratings, grouped on the keys before the customer is joined.
WITH customer AS (
    SELECT customer_key, customer_id
    FROM dim_customer
    WHERE $customer IS NULL OR customer_id = $customer
),
dates AS (
    SELECT f.customer_key, f.date_key // 10000 AS year, min(f.date_key) AS first_date_key, max(f.date_key) AS last_date_key
    FROM fact_ratings AS f
    WHERE $customer IS NULL OR f.customer_key = (SELECT customer_key FROM customer)
    GROUP BY f.customer_key, f.date_key // 10000
)
SELECT
    c.customer_id,
    a.year,
    a.rating_count AS ratings,
    round(a.avg_rating, 4) AS avg_rating,
    round(a.avg_rating - lag(a.avg_rating) OVER (PARTITION BY a.customer_key ORDER BY a.year), 4) AS avg_change,
    first_day.date_actual AS first_rating,
    last_day.date_actual AS last_rating
FROM agg_customer_year AS a
JOIN customer AS c ON c.customer_key = a.customer_key
JOIN dates AS d ON d.customer_key = a.customer_key AND d.year = a.year
JOIN dim_date AS first_day ON first_day.date_key = d.first_date_key
JOIN dim_date AS last_day ON last_day.date_key = d.last_date_key
ORDER BY c.customer_id, a.year;
