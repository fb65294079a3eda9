-- Line accounting per file, from the stored tables (not from the parser's own counters):
-- headers + accepted + rejected must equal the non-blank lines of every file,
-- and the accepted ratings of all files must equal the rows of fact_ratings.
SELECT
    s.path,
    s.lines - s.blank_lines AS non_blank,
    s.headers,
    s.accepted,
    (SELECT count(*) FROM rejects AS r WHERE r.source_file = s.path) AS rejected,
    (SELECT count(*) FROM fact_ratings) AS fact_rows,
    (SELECT sum(accepted) FROM source_file WHERE path NOT LIKE 'movie_titles.%') AS accepted_ratings
FROM source_file AS s
ORDER BY s.path;
