-- agg_customer_year: grain one row per (customer, calendar year) with ratings; key (customer_key, year)
-- (SPEC 2.1). The rows of customer_year (30_dim_customer.sql, the scan that built dim_customer) with the
-- customer's key in place of its id; drops customer_year.
CREATE TABLE agg_customer_year AS
SELECT
    c.customer_key,
    y.year,
    y.rating_count,
    y.rating_sum,
    CAST(y.rating_sum AS DOUBLE) / y.rating_count AS avg_rating
FROM customer_year AS y
JOIN dim_customer AS c ON c.customer_id = y.customer_id
ORDER BY c.customer_key, y.year;

DROP TABLE customer_year;
