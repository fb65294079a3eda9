-- customer_sorted without the aggregate tables: the bench's reference for the aggregates' cost (issue 16,
-- `npm run bench -- --aggregate-compare`, src/transforms/pipeline.ts FULL_TRANSFORM_WITHOUT_AGGREGATES); never
-- run for users. Grain one customer with kept ratings; key customer_id; the columns of 31_customer_totals.sql,
-- by the one grouping of every staged rating by customer that dim_customer needs when nothing is grouped
-- by (customer, year) for agg_customer_year (30_dim_customer.sql). Sorted by customer_id, which
-- 32_dim_customer.sql numbers.
CREATE TEMP TABLE customer_sorted AS
SELECT
    customer_id,
    min(date_key) AS first_date_key,
    max(date_key) AS last_date_key,
    CAST(count(*) AS INTEGER) AS total_ratings,
    CAST(sum(rating) AS DOUBLE) / count(*) AS avg_rating
FROM stg_rating
GROUP BY customer_id
ORDER BY customer_id;
