-- fact_qualifying: grain one row per (movie, customer) pair of qualifying.txt kept by SPEC 1.4's rules
-- (qualifying_ruled, 34_qualifying_ruled.sql, which it drops).
-- Keys: qualifying_key (dense from 1, in (movie_id, customer_id) order); (customer_key, movie_key) unique.
-- Columns: qualifying_key, customer_key, movie_key, date_key (the date the pair was to be rated).
-- Built before dim_date, which covers the kept pairs' dates too. The kept lines are numbered in
-- qualifying_ruled's stored order (row_number() OVER () keeps it), which is already the key's: no sort here.
CREATE TABLE fact_qualifying AS
SELECT
    CAST(row_number() OVER () AS BIGINT) AS qualifying_key,
    customer_key,
    movie_key,
    CAST(date_line >> 32 AS INTEGER) AS date_key
FROM qualifying_ruled
WHERE reason IS NULL;

DROP TABLE qualifying_ruled;
