-- dim_customer (append), new members: grain one row per customer id; keys customer_key, customer_id unique.
-- Customer ids with a new rating and no row get the next keys after the current maximum, in customer_id
-- order; their dates and counts are filled with every touched customer's by 31_customer_aggregates.sql.
INSERT INTO dim_customer (customer_key, customer_id, total_ratings)
SELECT
    CAST((SELECT coalesce(max(customer_key), 0) FROM dim_customer) + row_number() OVER (ORDER BY customer_id) AS INTEGER),
    customer_id,
    0
FROM (SELECT DISTINCT customer_id FROM stg_rating) AS n
WHERE customer_id NOT IN (SELECT customer_id FROM dim_customer)
ORDER BY customer_id;
