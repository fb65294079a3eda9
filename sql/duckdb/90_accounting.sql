-- Line accounting per file, from the stored tables (not from the parser's own counters):
-- headers + accepted + rejected must equal the non-blank lines of every file,
-- and the accepted lines of each kind must equal their rows: ratings the rows of fact_ratings, probe lines
-- the rows flagged is_probe, qualifying lines the rows of fact_qualifying (SPEC 1.4).
SELECT
    s.path,
    s.lines - s.blank_lines AS non_blank,
    s.headers,
    s.accepted,
    (SELECT count(*) FROM rejects AS r WHERE r.source_file = s.path) AS rejected,
    s.kind,
    CASE s.kind
        WHEN 'ratings' THEN (SELECT count(*) FROM fact_ratings)
        WHEN 'probe' THEN (SELECT count(*) FROM fact_ratings WHERE is_probe)
        WHEN 'qualifying' THEN (SELECT count(*) FROM fact_qualifying)
    END AS kind_rows,
    (SELECT sum(accepted) FROM source_file AS k WHERE k.kind = s.kind) AS kind_accepted
FROM source_file AS s
ORDER BY s.path;
