-- How many fact_ratings rows the runs {{runs}} inserted or changed (the change log, ../73_change_log.sql): the
-- changed keys they list, plus the rows they added, which they count in 'fact_ratings_appended' rows (older logs
-- list them as keys). One row, one column; decides whether an incremental export pays off (src/export/incremental.ts).
SELECT
    count(DISTINCT row_key) FILTER (WHERE table_name = 'fact_ratings')
    + coalesce(sum(row_key) FILTER (WHERE table_name = 'fact_ratings_appended'), 0)
FROM nfx_change
WHERE table_name IN ('fact_ratings', 'fact_ratings_appended') AND run_id IN ({{runs}});
