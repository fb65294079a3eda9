-- etl_run: grain one row per successful transform; key run_id.
-- source_file: grain one row per input file of a run; key (run_id, path).
-- Line accounting per file: headers + accepted + rejected = lines - blank_lines. A file's accepted lines are
-- its parsed lines less those a relational rule rejected later (duplicate, probe_not_rated, unknown_*);
-- for the titles file, the kept title lines.
CREATE TABLE etl_run (
    run_id          VARCHAR PRIMARY KEY,
    started_at      TIMESTAMPTZ NOT NULL,
    finished_at     TIMESTAMPTZ NOT NULL,
    nfx_version     VARCHAR NOT NULL,
    status          VARCHAR NOT NULL,
    data_dir        VARCHAR NOT NULL,
    rating_files    INTEGER NOT NULL,
    lines_read      BIGINT NOT NULL,
    ratings_loaded  BIGINT NOT NULL,
    rejected        BIGINT NOT NULL,
    duplicates      BIGINT NOT NULL,
    movies          INTEGER NOT NULL,
    customers       INTEGER NOT NULL,
    seconds         DOUBLE NOT NULL
);

CREATE TABLE source_file AS
WITH dropped_per_file AS (
    SELECT file_id, count(*) AS dropped
    FROM stg_reject
    WHERE reason IN ('duplicate', 'probe_not_rated', 'unknown_movie', 'unknown_customer')
    GROUP BY file_id
),
rejected_per_file AS (
    SELECT file_id, count(*) AS rejected FROM stg_reject GROUP BY file_id
),
titles_kept AS (
    SELECT count(*) AS kept FROM stg_title
)
SELECT
    CAST({{run_id}} AS VARCHAR) AS run_id,
    f.path,
    f.kind,
    f.bytes,
    f.sha256,
    f.lines,
    f.blank_lines,
    f.headers,
    CAST(CASE WHEN f.kind = 'titles' THEN (SELECT kept FROM titles_kept) ELSE f.parsed - coalesce(d.dropped, 0) END AS BIGINT) AS accepted,
    CAST(coalesce(j.rejected, 0) AS BIGINT) AS rejected
FROM stg_file AS f
LEFT JOIN dropped_per_file AS d ON d.file_id = f.file_id
LEFT JOIN rejected_per_file AS j ON j.file_id = f.file_id
ORDER BY f.path;
