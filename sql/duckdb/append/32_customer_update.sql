-- dim_customer (append): the touched customers' first and last dates, count and average, from
-- customer_sorted (../31_customer_totals.sql), which it drops. Keys stay as they are.
UPDATE dim_customer
SET first_rating_date = date_of_key(t.first_date_key),
    last_rating_date = date_of_key(t.last_date_key),
    total_ratings = t.total_ratings,
    avg_rating = t.avg_rating
FROM customer_sorted AS t
WHERE dim_customer.customer_id = t.customer_id;

DROP TABLE customer_sorted;
