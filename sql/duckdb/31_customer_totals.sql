-- customer_sorted: grain one customer of customer_year (30_dim_customer.sql, or in an append the touched
-- customers of append/31_customer_aggregates.sql); key customer_id. Their first and last dates, count and
-- average (sum / count over integers, exact and the same on every run).
-- Sorted by customer_id, so that 32_dim_customer.sql numbers them by row position (see 50_fact_ratings.sql).
CREATE TEMP TABLE customer_sorted AS
SELECT
    customer_id,
    min(first_date_key) AS first_date_key,
    max(last_date_key) AS last_date_key,
    CAST(sum(rating_count) AS INTEGER) AS total_ratings,
    CAST(sum(rating_sum) AS DOUBLE) / sum(rating_count) AS avg_rating
FROM customer_year
GROUP BY customer_id
ORDER BY customer_id;

