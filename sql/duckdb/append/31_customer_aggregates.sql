-- customer_year (append): the touched customers' ratings by calendar year, recomputed from their fact rows
-- (a changed rating can move a customer's first date later, so no delta would do): ../31_customer_totals.sql
-- rolls it up for 32_customer_update.sql. customer_year
-- (grain one (customer, calendar year) of a touched customer), which ../58_agg_customer_year.sql turns
-- into their agg_customer_year rows, as the full transform's scan does for every customer.
-- The touched customers are the small side, on the right of the join: the build side (see ../50_fact_ratings.sql).
SET disabled_optimizers = 'build_side_probe_side';

CREATE TEMP TABLE customer_year AS
SELECT
    c.customer_id,
    CAST(f.date_key // 10000 AS SMALLINT) AS year,
    min(f.date_key) AS first_date_key,
    max(f.date_key) AS last_date_key,
    count(*) AS rating_count,
    CAST(sum(f.rating) AS BIGINT) AS rating_sum
FROM fact_ratings AS f
JOIN (SELECT s.customer_key, d.customer_id FROM agg_scope_customer AS s JOIN dim_customer AS d ON d.customer_key = s.customer_key) AS c
    ON c.customer_key = f.customer_key
GROUP BY c.customer_id, f.date_key // 10000;

RESET disabled_optimizers;
