-- Grain: one row per reject reason present in rejects; key reason. Most frequent first.
-- Columns: reason, rejects, examples (the first three rejected lines in file and line order:
-- a list of {source_file, line_number, raw_line}).
WITH numbered AS (
    SELECT
        reason,
        source_file,
        line_number,
        raw_line,
        row_number() OVER (PARTITION BY reason ORDER BY source_file, line_number) AS occurrence
    FROM rejects
)
SELECT
    reason,
    count(*) AS rejects,
    list({'source_file': source_file, 'line_number': line_number, 'raw_line': raw_line} ORDER BY occurrence)
        FILTER (WHERE occurrence <= 3) AS examples
FROM numbered
GROUP BY reason
ORDER BY rejects DESC, reason;
