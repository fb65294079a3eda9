-- dim_customer: grain one row per customer id with at least one kept rating.
-- Keys: customer_key (dense from 1, in customer_id order); customer_id unique.
-- avg_rating is sum / count over integers, so it is exact and the same on every run.
-- The one scan of every staged rating by customer groups by (customer, calendar year): dim_customer is the
-- roll-up of those rows, and agg_customer_year (58_agg_customer_year.sql) is those rows with customer keys,
-- so the aggregate costs no second scan. customer_year stays until 58 has read it; 31_customer_totals.sql
-- rolls it up by customer and 32_dim_customer.sql numbers the customers.
CREATE TEMP TABLE customer_year AS
SELECT
    customer_id,
    CAST(date_key // 10000 AS SMALLINT) AS year,
    min(date_key) AS first_date_key,
    max(date_key) AS last_date_key,
    count(*) AS rating_count,
    CAST(sum(rating) AS BIGINT) AS rating_sum
FROM stg_rating
GROUP BY customer_id, date_key // 10000;

