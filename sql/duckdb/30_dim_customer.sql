-- dim_customer: grain one row per customer id with at least one kept rating.
-- Keys: customer_key (dense from 1, in customer_id order); customer_id unique.
-- avg_rating is sum / count over integers, so it is exact and the same on every run.
-- The one scan of every staged rating by customer groups by (customer, calendar year): dim_customer is the
-- roll-up of those rows, and agg_customer_year (58_agg_customer_year.sql) is those rows with customer keys,
-- so the aggregate costs no second scan. customer_year stays until 58 has read it.
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

-- Aggregated and sorted into a temporary table, then numbered by row position (see 50_fact_ratings.sql).
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
