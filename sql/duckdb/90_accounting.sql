-- Line accounting per file, from the stored tables (not from the parser's own counters):
-- headers + accepted + rejected must equal the non-blank lines of every file,
-- and the accepted lines of each kind must equal their rows: ratings the rows of fact_ratings, probe lines
-- the rows flagged is_probe, qualifying lines the rows of fact_qualifying (SPEC 1.4).
-- A warehouse grown by appends holds the files of several runs; a path loaded twice (a titles file that
-- changed) is accounted by its latest run, whose lines the rejects now hold. The run being checked is not in
-- etl_run yet (publish records it): its rows have no start time and are the newest.
WITH latest AS (
    SELECT s.*
    FROM source_file AS s
    LEFT JOIN etl_run AS r ON r.run_id = s.run_id
    QUALIFY row_number() OVER (PARTITION BY s.path ORDER BY r.started_at DESC NULLS FIRST) = 1
),
rejected_per_file AS (
    SELECT source_file, count(*) AS rejected FROM rejects GROUP BY source_file
)
SELECT
    s.path,
    s.lines - s.blank_lines AS non_blank,
    s.headers,
    s.accepted,
    coalesce(j.rejected, 0) AS rejected,
    s.kind,
    CASE s.kind
        WHEN 'ratings' THEN (SELECT count(*) FROM fact_ratings)
        WHEN 'probe' THEN (SELECT count(*) FROM fact_ratings WHERE is_probe)
        WHEN 'qualifying' THEN (SELECT count(*) FROM fact_qualifying)
    END AS kind_rows,
    (SELECT sum(accepted) FROM latest AS k WHERE k.kind = s.kind) AS kind_accepted
FROM latest AS s
LEFT JOIN rejected_per_file AS j ON j.source_file = s.path
ORDER BY s.path;
