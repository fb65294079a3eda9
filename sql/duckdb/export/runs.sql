-- The warehouse's runs, for an incremental export to match against the runs its target holds: grain one
-- transform run; key run_id; in the order they ran. logged: the run wrote its change log (every append since
-- nfx_change exists does, sql/duckdb/append/90_change_log.sql).
SELECT
    r.run_id,
    r.mode,
    EXISTS (SELECT 1 FROM nfx_change AS c WHERE c.run_id = r.run_id AND c.table_name = 'etl_run') AS logged
FROM etl_run AS r
ORDER BY r.started_at, r.run_id;
