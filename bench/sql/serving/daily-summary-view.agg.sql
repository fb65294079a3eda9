-- All of v_daily_rating_summary, which reads agg_date.
SELECT * FROM v_daily_rating_summary
