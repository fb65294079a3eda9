-- dim_customer: grain one row per customer id with at least one kept rating.
-- Keys: customer_key (dense from 1, in customer_id order); customer_id unique.
-- avg_rating is sum / count over integers, so it is exact and the same on every run.
CREATE TABLE dim_customer AS
WITH per_customer AS (
    SELECT
        customer_id,
        min(rating_date) AS first_rating_date,
        max(rating_date) AS last_rating_date,
        CAST(count(*) AS INTEGER) AS total_ratings,
        CAST(sum(rating) AS DOUBLE) / count(*) AS avg_rating
    FROM rating_kept
    GROUP BY customer_id
)
SELECT
    CAST(row_number() OVER (ORDER BY customer_id) AS INTEGER) AS customer_key,
    customer_id,
    first_rating_date,
    last_rating_date,
    total_ratings,
    avg_rating
FROM per_customer
ORDER BY customer_key;
