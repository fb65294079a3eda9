-- Baseline A, parse step 2.
-- movie_header: grain one row per `<movie_id>:` line; key (file_id, line_no).
-- rating: grain one row per rating line; key (file_id, line_no). Its movie is the nearest header line
-- above it in the same file (ASOF join), which is how SQL recovers the block structure of the files.
CREATE TEMP TABLE movie_header AS
SELECT file_id, line_no, CAST(rtrim(line, ':') AS INTEGER) AS movie_id
FROM rating_line
WHERE ends_with(line, ':');

CREATE TEMP TABLE rating AS
SELECT
    h.movie_id,
    CAST(split_part(l.line, ',', 1) AS INTEGER) AS customer_id,
    CAST(split_part(l.line, ',', 2) AS TINYINT) AS rating,
    CAST(split_part(l.line, ',', 3) AS DATE) AS rating_date,
    l.file_id,
    l.line_no
FROM rating_line AS l
ASOF JOIN movie_header AS h ON l.file_id = h.file_id AND l.line_no >= h.line_no
WHERE NOT ends_with(l.line, ':');

DROP TABLE rating_line;
