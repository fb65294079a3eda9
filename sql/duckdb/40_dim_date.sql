-- dim_date: grain one row per calendar day; key date_key (YYYYMMDD). Columns: calendar_days (01_staging.sql).
-- Covers January 1 of the first rating's year to December 31 of the last one's, unless the caller
-- passes explicit bounds ({{date_from}} / {{date_to}} are DATE literals or NULL). The first and last rating
-- dates are read from dim_customer (every rating's customer is in it), not from every staged rating.
CREATE TABLE dim_date AS
SELECT *
FROM calendar_days(
    (SELECT coalesce({{date_from}}, make_date(year(min(first_rating_date)), 1, 1)) FROM dim_customer),
    (SELECT coalesce({{date_to}}, make_date(year(max(last_rating_date)), 12, 31)) FROM dim_customer)
)
ORDER BY date_key;
