-- First and last date of the kept ratings and qualifying pairs, as YYYY-MM-DD text (what dim_date must cover),
-- and whether a qualifying date is among them. Every kept rating's customer is in dim_customer.
WITH dated AS (
    SELECT min(first_rating_date) AS first_date, max(last_rating_date) AS last_date FROM dim_customer
    UNION ALL
    SELECT date_of_key(min(date_key)), date_of_key(max(date_key)) FROM fact_qualifying
)
SELECT
    CAST(min(first_date) AS VARCHAR),
    CAST(max(last_date) AS VARCHAR),
    (SELECT count(*) > 0 FROM fact_qualifying)
FROM dated;
