-- Baseline A, star step 4.
-- dim_date: grain one row per day from Jan 1 of the first rating's year to Dec 31 of the last one's;
-- key date_key (YYYYMMDD).
CREATE TABLE dim_date AS
WITH days AS (
    SELECT CAST(unnest(generate_series(
        make_date(CAST(year(min(rating_date)) AS INTEGER), 1, 1),
        make_date(CAST(year(max(rating_date)) AS INTEGER), 12, 31),
        INTERVAL 1 DAY
    )) AS DATE) AS date_actual
    FROM rating_kept
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
