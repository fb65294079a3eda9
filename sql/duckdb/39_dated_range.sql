-- dated_range(): the first and last dated day of the warehouse, one row, for 40_dim_date.sql and
-- append/40_dim_date.sql: ratings' dates from dim_customer (every rating's customer is in it, so not every
-- rating is read) and the kept qualifying pairs' dates (SPEC 2); NULLs when none. A macro of its own file,
-- created once both tables exist (DuckDB binds a table macro's tables when it is created).
CREATE TEMP MACRO dated_range() AS TABLE
SELECT min(first_date) AS first_date, max(last_date) AS last_date
FROM (
    SELECT min(first_rating_date) AS first_date, max(last_rating_date) AS last_date FROM dim_customer
    UNION ALL
    SELECT date_of_key(min(date_key)), date_of_key(max(date_key)) FROM fact_qualifying
);
