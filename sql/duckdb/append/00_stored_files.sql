-- The input files a warehouse holds, for an append (SPEC 4): grain one row per path ever loaded; key path.
-- A path loaded by more than one run (a titles file that changed) is named by its latest run.
-- relational_rejects: its lines a rule of the star schema rejected that a grown warehouse may accept
-- (probe_not_rated, unknown_movie, unknown_customer): an append decides those again (SPEC 4).
WITH relational AS (
    SELECT source_file, count(*) AS n
    FROM rejects
    WHERE reason IN ('probe_not_rated', 'unknown_movie', 'unknown_customer')
    GROUP BY source_file
)
SELECT
    s.path,
    s.kind,
    s.sha256,
    s.bytes,
    r.run_id,
    r.data_dir,
    coalesce(j.n, 0) AS relational_rejects
FROM source_file AS s
JOIN etl_run AS r ON r.run_id = s.run_id
LEFT JOIN relational AS j ON j.source_file = s.path
QUALIFY row_number() OVER (PARTITION BY s.path ORDER BY r.started_at DESC) = 1
ORDER BY s.path;
