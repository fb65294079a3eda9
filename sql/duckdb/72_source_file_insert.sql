-- source_file rows of this run: grain one row per input file it read (stg_file); key (run_id, path).
-- accepted: a line file's parsed lines less those a relational rule rejected later (duplicate,
-- probe_not_rated, unknown_movie, unknown_customer); the titles file's kept lines. A probe or qualifying file
-- an append loaded before and read again to decide its rules anew (stg_file.reread) is no file of this run:
-- the row of the run that loaded it takes the new counts instead.
CREATE TEMP TABLE run_file AS
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
    CAST(coalesce(j.rejected, 0) AS BIGINT) AS rejected,
    f.reread
FROM stg_file AS f
LEFT JOIN dropped_per_file AS d ON d.file_id = f.file_id
LEFT JOIN rejected_per_file AS j ON j.file_id = f.file_id;

INSERT INTO source_file
SELECT * EXCLUDE (reread) FROM run_file WHERE NOT reread ORDER BY path;

UPDATE source_file
SET accepted = r.accepted, rejected = r.rejected
FROM run_file AS r
WHERE r.reread AND source_file.path = r.path AND source_file.sha256 = r.sha256;

DROP TABLE run_file;
