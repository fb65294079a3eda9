-- Row count per exported table of schema {{schema}}: the incremental export's whole-table check, beside the
-- checksums of the changed scope (71_change_scope.sql with 40_checksums.sql). A count of fact_ratings is a
-- scan of its primary key (index-only where the visibility map allows), far cheaper than 40_checksums.sql's
-- sums over every column.
SELECT 'dim_date' AS table_name, count(*) AS row_count FROM {{schema}}.dim_date
UNION ALL SELECT 'dim_movie', count(*) FROM {{schema}}.dim_movie
UNION ALL SELECT 'dim_customer', count(*) FROM {{schema}}.dim_customer
UNION ALL SELECT 'fact_ratings', count(*) FROM {{schema}}.fact_ratings
UNION ALL SELECT 'fact_qualifying', count(*) FROM {{schema}}.fact_qualifying
UNION ALL SELECT 'agg_movie', count(*) FROM {{schema}}.agg_movie
UNION ALL SELECT 'agg_date', count(*) FROM {{schema}}.agg_date
UNION ALL SELECT 'agg_customer_year', count(*) FROM {{schema}}.agg_customer_year
UNION ALL SELECT 'agg_movie_month', count(*) FROM {{schema}}.agg_movie_month
UNION ALL SELECT 'rejects', count(*) FROM {{schema}}.rejects
UNION ALL SELECT 'etl_run', count(*) FROM {{schema}}.etl_run
UNION ALL SELECT 'source_file', count(*) FROM {{schema}}.source_file;
