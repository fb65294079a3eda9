-- agg_customer_year: grain one row per (customer, calendar year) with ratings; key (customer_key, year)
-- (SPEC 2.1). The rows of customer_year (30_dim_customer.sql, the scan that built dim_customer) with the
-- customer's key in place of its id; drops customer_year. In an append customer_year holds the touched
-- customers alone (append/31_customer_aggregates.sql).
INSERT INTO agg_customer_year
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
