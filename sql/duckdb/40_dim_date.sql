-- dim_date: grain one row per calendar day; key date_key (YYYYMMDD).
-- Covers January 1 of the first rating's year to December 31 of the last one's, unless the caller
-- passes explicit bounds ({{date_from}} / {{date_to}} are DATE literals or NULL). The first and last rating
-- dates are read from dim_customer (every rating's customer is in it), not from every staged rating; the
-- kept qualifying pairs' dates count too (SPEC 2), so fact_qualifying is built before this file.
CREATE TABLE dim_date AS
WITH dated AS (
    SELECT min(first_rating_date) AS first_date, max(last_rating_date) AS last_date FROM dim_customer
    UNION ALL
    SELECT date_of_key(min(date_key)), date_of_key(max(date_key)) FROM fact_qualifying
),
bounds AS (
    SELECT
        coalesce({{date_from}}, make_date(year(min(first_date)), 1, 1)) AS first_day,
        coalesce({{date_to}}, make_date(year(max(last_date)), 12, 31)) AS last_day
    FROM dated
),
days AS (
    SELECT CAST(unnest(generate_series(first_day, last_day, INTERVAL 1 DAY)) AS DATE) AS date_actual
    FROM bounds
    WHERE first_day IS NOT NULL AND last_day IS NOT NULL
)
SELECT
    CAST(year(date_actual) * 10000 + month(date_actual) * 100 + day(date_actual) AS INTEGER) AS date_key,
    date_actual,
    CAST(year(date_actual) AS SMALLINT) AS year,
    CAST(quarter(date_actual) AS SMALLINT) AS quarter,
    CAST(month(date_actual) AS SMALLINT) AS month,
    monthname(date_actual) AS month_name,
    CAST(day(date_actual) AS SMALLINT) AS day,
    CAST(isodow(date_actual) AS SMALLINT) AS day_of_week,
    dayname(date_actual) AS day_name,
    CAST(weekofyear(date_actual) AS SMALLINT) AS week_of_year,
    isodow(date_actual) >= 6 AS is_weekend
FROM days
ORDER BY date_key;
