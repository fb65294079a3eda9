-- The input files a warehouse holds, for an append (SPEC 4): grain one row per path ever loaded; key path.
-- A path loaded by more than one run (a titles file that changed) is named by its latest run. kind is
-- 'titles' or 'ratings' (the source_file of this warehouse has no kind column yet: the name says it).
SELECT
    s.path,
    s.sha256,
    s.bytes,
    CASE WHEN s.path LIKE 'movie_titles.%' THEN 'titles' ELSE 'ratings' END AS kind,
    r.run_id,
    r.data_dir
FROM source_file AS s
JOIN etl_run AS r ON r.run_id = s.run_id
QUALIFY row_number() OVER (PARTITION BY s.path ORDER BY r.started_at DESC) = 1
ORDER BY s.path;
