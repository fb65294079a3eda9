-- Grain: one row per table or view in the main schema of the opened file; key name.
-- Used to tell an nfx warehouse from any other DuckDB file.
SELECT table_name AS name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'
UNION ALL
SELECT view_name FROM duckdb_views() WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal
ORDER BY name;
