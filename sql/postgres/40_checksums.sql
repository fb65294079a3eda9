-- Reconciliation: a row count and a checksum per exported table. This one text runs against PostgreSQL and
-- against DuckDB ({{schema}} = main), so both sides compute the same thing by construction. Checksums are
-- hash-free sums over keys, measures, dates (as day numbers), booleans and text lengths (characters), plus one
-- cross term that catches values moved between rows. Every sum is exact in both engines (integers, or doubles
-- floored to whole numbers far below 2^53) and is compared as text. The aggregate tables' rows are in
-- 41_aggregate_checksums.sql, which checksumSql() (src/export/tables.ts) appends with UNION ALL.
SELECT 'dim_date' AS table_name, count(*) AS row_count, concat_ws('/',
        CAST(coalesce(sum(date_key), 0) AS TEXT),
        CAST(coalesce(sum(date_actual - DATE '1970-01-01'), 0) AS TEXT),
        CAST(coalesce(sum(year + quarter + month + day + day_of_week + week_of_year), 0) AS TEXT),
        CAST(coalesce(sum(length(month_name) + length(day_name)), 0) AS TEXT),
        CAST(coalesce(sum(CASE WHEN is_weekend THEN 1 ELSE 0 END), 0) AS TEXT)) AS checksum
FROM {{schema}}.dim_date
UNION ALL
SELECT 'dim_movie', count(*), concat_ws('/',
        CAST(coalesce(sum(movie_key), 0) AS TEXT),
        CAST(coalesce(sum(movie_id), 0) AS TEXT),
        CAST(count(title) AS TEXT),
        CAST(coalesce(sum(length(title)), 0) AS TEXT),
        CAST(count(release_year) AS TEXT),
        CAST(coalesce(sum(release_year), 0) AS TEXT))
FROM {{schema}}.dim_movie
UNION ALL
SELECT 'dim_customer', count(*), concat_ws('/',
        CAST(coalesce(sum(customer_key), 0) AS TEXT),
        CAST(coalesce(sum(customer_id), 0) AS TEXT),
        CAST(coalesce(sum(first_rating_date - DATE '1970-01-01'), 0) AS TEXT),
        CAST(coalesce(sum(last_rating_date - DATE '1970-01-01'), 0) AS TEXT),
        CAST(coalesce(sum(total_ratings), 0) AS TEXT),
        CAST(coalesce(CAST(sum(floor(avg_rating * 1000000)) AS BIGINT), 0) AS TEXT))
FROM {{schema}}.dim_customer
UNION ALL
SELECT 'fact_ratings', count(*), concat_ws('/',
        CAST(coalesce(sum(rating_key), 0) AS TEXT),
        CAST(coalesce(sum(customer_key), 0) AS TEXT),
        CAST(coalesce(sum(movie_key), 0) AS TEXT),
        CAST(coalesce(sum(date_key), 0) AS TEXT),
        CAST(coalesce(sum(rating), 0) AS TEXT),
        CAST(coalesce(sum(rating * date_key), 0) AS TEXT),
        CAST(coalesce(sum(CASE WHEN is_probe THEN rating_key ELSE 0 END), 0) AS TEXT))
FROM {{schema}}.fact_ratings
UNION ALL
SELECT 'fact_qualifying', count(*), concat_ws('/',
        CAST(coalesce(sum(qualifying_key), 0) AS TEXT),
        CAST(coalesce(sum(customer_key), 0) AS TEXT),
        CAST(coalesce(sum(movie_key), 0) AS TEXT),
        CAST(coalesce(sum(date_key), 0) AS TEXT),
        CAST(coalesce(sum(CAST(customer_key AS BIGINT) * movie_key), 0) AS TEXT))
FROM {{schema}}.fact_qualifying
UNION ALL
SELECT 'rejects', count(*), concat_ws('/',
        CAST(coalesce(sum(line_number), 0) AS TEXT),
        CAST(coalesce(sum(length(source_file) + length(reason)), 0) AS TEXT),
        CAST(coalesce(sum(length(raw_line)), 0) AS TEXT))
FROM {{schema}}.rejects
UNION ALL
SELECT 'etl_run', count(*), concat_ws('/',
        CAST(coalesce(sum(length(run_id) + length(nfx_version) + length(status) + length(mode) + length(data_dir)), 0) AS TEXT),
        CAST(coalesce(sum(CAST(floor(extract(epoch FROM started_at)) AS BIGINT)), 0) AS TEXT),
        CAST(coalesce(sum(CAST(floor(extract(epoch FROM finished_at)) AS BIGINT)), 0) AS TEXT),
        CAST(coalesce(sum(rating_files + movies + customers), 0) AS TEXT),
        CAST(coalesce(sum(lines_read + ratings_loaded + rejected + duplicates), 0) AS TEXT),
        CAST(coalesce(CAST(sum(floor(seconds * 1000000)) AS BIGINT), 0) AS TEXT))
FROM {{schema}}.etl_run
UNION ALL
SELECT 'source_file', count(*), concat_ws('/',
        CAST(coalesce(sum(length(run_id) + length(path) + length(kind) + length(sha256)), 0) AS TEXT),
        CAST(coalesce(sum(bytes), 0) AS TEXT),
        CAST(coalesce(sum(lines + blank_lines + headers), 0) AS TEXT),
        CAST(coalesce(sum(accepted), 0) AS TEXT),
        CAST(coalesce(sum(rejected), 0) AS TEXT))
FROM {{schema}}.source_file;
