-- agg_customer_year: grain one row per (customer, calendar year) with ratings; key (customer_key, year)
-- (SPEC 2.1). Columns: customer_key, year, rating_count, rating_sum, avg_rating = rating_sum / rating_count
-- (exact integer sums). A grouping of fact_ratings by its dense customer_key and the year of date_key, once
-- the fact table is built (see 31_customer_totals.sql for why not earlier). A full transform only: an append
-- brings the touched rows up to date from its deltas (append/58_customer_delta.sql).
INSERT INTO agg_customer_year
SELECT
    customer_key,
    CAST(date_key // 10000 AS SMALLINT) AS year,
    count(*) AS rating_count,
    CAST(sum(rating) AS BIGINT) AS rating_sum,
    CAST(sum(rating) AS DOUBLE) / count(*) AS avg_rating
FROM fact_ratings
GROUP BY customer_key, date_key // 10000
ORDER BY customer_key, year;
