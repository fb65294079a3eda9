-- source_file rows of this run: grain one row per input file it read (stg_file); key (run_id, path).
-- accepted: a rating file's parsed lines less the occurrences the duplicate rule dropped; the titles file's kept lines.
INSERT INTO source_file
WITH dropped_per_file AS (
    SELECT file_id, count(*) AS dropped FROM dup_loser GROUP BY file_id
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
    f.bytes,
    f.sha256,
    f.lines,
    f.blank_lines,
    f.headers,
    CAST(CASE WHEN f.path LIKE 'movie_titles.%' THEN (SELECT kept FROM titles_kept) ELSE f.parsed - coalesce(d.dropped, 0) END AS BIGINT) AS accepted,
    CAST(coalesce(j.rejected, 0) AS BIGINT) AS rejected
FROM stg_file AS f
LEFT JOIN dropped_per_file AS d ON d.file_id = f.file_id
LEFT JOIN rejected_per_file AS j ON j.file_id = f.file_id
ORDER BY f.path;
