-- How many fact_ratings rows the runs {{runs}} inserted or changed (the change log, ../73_change_log.sql):
-- one row, one column; decides whether an incremental export pays off (src/export/incremental.ts).
SELECT count(DISTINCT row_key)
FROM nfx_change
WHERE table_name = 'fact_ratings' AND run_id IN ({{runs}});
