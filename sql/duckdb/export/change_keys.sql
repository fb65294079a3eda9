-- change_key: grain one (table, key) changed by the runs {{runs}} (the runs a target schema lacks), from the
-- change log (../73_change_log.sql); the same rows go to PostgreSQL (sql/postgres/70_incremental_tables.sql),
-- and sql/postgres/71_change_scope.sql reads them on both sides. The counts of appended fact rows are left out:
-- the scope takes those rows as the key range above the target's largest key.
CREATE TEMP TABLE change_key AS
SELECT DISTINCT table_name, row_key, row_name
FROM nfx_change
WHERE run_id IN ({{runs}}) AND table_name <> 'fact_ratings_appended';
