-- Baseline A, star step 3.
-- dim_customer: grain one row per customer id with a rating; keys customer_key (dense, in customer_id
-- order), customer_id.
CREATE TABLE dim_customer AS
SELECT
    CAST(row_number() OVER (ORDER BY customer_id) AS INTEGER) AS customer_key,
    customer_id,
    min(rating_date) AS first_rating_date,
    max(rating_date) AS last_rating_date,
    CAST(count(*) AS INTEGER) AS total_ratings,
    avg(rating) AS avg_rating
FROM rating_kept
GROUP BY customer_id;
