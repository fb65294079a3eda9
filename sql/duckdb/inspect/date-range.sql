-- Grain: one row. The span of the kept ratings and of the date dimension that covers it.
-- Columns: first_rating, last_rating, rating_days (days with at least one rating), calendar_from, calendar_to.
WITH rated_days AS (
    SELECT min(date_actual) AS first_rating, max(date_actual) AS last_rating, count(*) AS rating_days
    FROM v_daily_rating_summary
),
calendar AS (
    SELECT min(date_actual) AS calendar_from, max(date_actual) AS calendar_to FROM dim_date
)
SELECT r.first_rating, r.last_rating, r.rating_days, c.calendar_from, c.calendar_to
FROM rated_days AS r
CROSS JOIN calendar AS c;
