-- dim_customer: grain one row per customer id with at least one kept rating; customer_key dense from 1 in
-- customer_id order (the row position of customer_sorted, 31_customer_totals.sql), which it drops.
CREATE TABLE dim_customer AS
SELECT
    CAST(rowid + 1 AS INTEGER) AS customer_key,
    customer_id,
    date_of_key(first_date_key) AS first_rating_date,
    date_of_key(last_date_key) AS last_rating_date,
    total_ratings,
    avg_rating
FROM customer_sorted;

DROP TABLE customer_sorted;
