-- Grain: one row, the warehouse file as DuckDB sees it (pragma_database_size).
-- Columns: block_size, total_blocks, used_blocks, free_blocks, wal_size (text as DuckDB prints it).
SELECT block_size, total_blocks, used_blocks, free_blocks, wal_size
FROM pragma_database_size()
WHERE database_name = current_database();
