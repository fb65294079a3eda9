-- dim_date: grain one row per calendar day; key date_key (YYYYMMDD). Columns: calendar_days (01_staging.sql).
-- Covers January 1 of the first rating's or kept qualifying pair's year to December 31 of the last one's
-- (dated_range, 01_staging.sql; fact_qualifying is built before this file), unless the caller passes explicit
-- bounds ({{date_from}} / {{date_to}} are DATE literals or NULL).
CREATE TABLE dim_date AS
SELECT *
FROM calendar_days(
    (SELECT coalesce({{date_from}}, make_date(year(first_date), 1, 1)) FROM dated_range()),
    (SELECT coalesce({{date_to}}, make_date(year(last_date), 12, 31)) FROM dated_range())
)
ORDER BY date_key;
