-- Grain: at most one row, the latest transform recorded in etl_run (the one that built this file),
-- and how many runs the file records.
-- Columns: every column of etl_run, plus runs.
SELECT
    run_id,
    CAST(started_at AS VARCHAR) AS started_at,
    CAST(finished_at AS VARCHAR) AS finished_at,
    seconds,
    nfx_version,
    status,
    data_dir,
    rating_files,
    lines_read,
    ratings_loaded,
    rejected,
    duplicates,
    movies,
    customers,
    (SELECT count(*) FROM etl_run) AS runs
FROM etl_run
ORDER BY finished_at DESC, run_id
LIMIT 1;
