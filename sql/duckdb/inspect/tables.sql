-- Grain: one row per warehouse table or view; key name. Ordered as the star schema reads: dimensions, fact,
-- aggregates, then rejects, lineage and views.
-- Columns: name, kind ('table' | 'view'), rows (exact count; NULL for views, whose rows integrity.sql counts),
-- estimated_rows (DuckDB's own estimate, NULL for views), bytes (approximate bytes on disk: each column
-- segment's share of its block, NULL for views).
WITH row_counts AS (
    SELECT 1 AS position, 'dim_date' AS name, 'table' AS kind, count(*) AS rows FROM dim_date
    UNION ALL SELECT 2, 'dim_movie', 'table', count(*) FROM dim_movie
    UNION ALL SELECT 3, 'dim_customer', 'table', count(*) FROM dim_customer
    UNION ALL SELECT 4, 'fact_ratings', 'table', count(*) FROM fact_ratings
    UNION ALL SELECT 5, 'fact_qualifying', 'table', count(*) FROM fact_qualifying
    UNION ALL SELECT 6, 'agg_movie', 'table', count(*) FROM agg_movie
    UNION ALL SELECT 7, 'agg_date', 'table', count(*) FROM agg_date
    UNION ALL SELECT 8, 'agg_customer_year', 'table', count(*) FROM agg_customer_year
    UNION ALL SELECT 9, 'agg_movie_month', 'table', count(*) FROM agg_movie_month
    UNION ALL SELECT 10, 'rejects', 'table', count(*) FROM rejects
    UNION ALL SELECT 11, 'etl_run', 'table', count(*) FROM etl_run
    UNION ALL SELECT 12, 'source_file', 'table', count(*) FROM source_file
    UNION ALL SELECT 13, 'v_daily_rating_summary', 'view', NULL
    UNION ALL SELECT 14, 'v_movie_performance', 'view', NULL
),
segments AS (
    SELECT 'dim_date' AS name, block_id, block_offset, len(additional_block_ids) AS extra_blocks FROM pragma_storage_info('dim_date')
    UNION ALL SELECT 'dim_movie', block_id, block_offset, len(additional_block_ids) FROM pragma_storage_info('dim_movie')
    UNION ALL SELECT 'dim_customer', block_id, block_offset, len(additional_block_ids) FROM pragma_storage_info('dim_customer')
    UNION ALL SELECT 'fact_ratings', block_id, block_offset, len(additional_block_ids) FROM pragma_storage_info('fact_ratings')
    UNION ALL SELECT 'fact_qualifying', block_id, block_offset, len(additional_block_ids) FROM pragma_storage_info('fact_qualifying')
    UNION ALL SELECT 'agg_movie', block_id, block_offset, len(additional_block_ids) FROM pragma_storage_info('agg_movie')
    UNION ALL SELECT 'agg_date', block_id, block_offset, len(additional_block_ids) FROM pragma_storage_info('agg_date')
    UNION ALL SELECT 'agg_customer_year', block_id, block_offset, len(additional_block_ids) FROM pragma_storage_info('agg_customer_year')
    UNION ALL SELECT 'agg_movie_month', block_id, block_offset, len(additional_block_ids) FROM pragma_storage_info('agg_movie_month')
    UNION ALL SELECT 'rejects', block_id, block_offset, len(additional_block_ids) FROM pragma_storage_info('rejects')
    UNION ALL SELECT 'etl_run', block_id, block_offset, len(additional_block_ids) FROM pragma_storage_info('etl_run')
    UNION ALL SELECT 'source_file', block_id, block_offset, len(additional_block_ids) FROM pragma_storage_info('source_file')
),
block AS (
    SELECT block_size FROM pragma_database_size() WHERE database_name = current_database()
),
-- segments share blocks (also across tables): a segment owns the bytes up to the next segment's offset
segment_bytes AS (
    SELECT
        s.name,
        coalesce(lead(s.block_offset) OVER (PARTITION BY s.block_id ORDER BY s.block_offset), b.block_size) - s.block_offset
            + s.extra_blocks * b.block_size AS bytes
    FROM segments AS s
    CROSS JOIN block AS b
    WHERE s.block_id >= 0
),
table_bytes AS (
    SELECT name, sum(bytes) AS bytes FROM segment_bytes GROUP BY name
),
estimates AS (
    SELECT table_name AS name, estimated_size AS estimated_rows
    FROM duckdb_tables()
    WHERE database_name = current_database() AND schema_name = 'main'
)
SELECT
    r.name,
    r.kind,
    r.rows,
    e.estimated_rows,
    CASE WHEN r.kind = 'table' THEN coalesce(t.bytes, 0) END AS bytes
FROM row_counts AS r
LEFT JOIN estimates AS e ON e.name = r.name
LEFT JOIN table_bytes AS t ON t.name = r.name
ORDER BY r.position;
