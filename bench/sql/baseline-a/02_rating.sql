-- Baseline A, parse step 2.
-- movie_header: grain one row per `<movie_id>:` line; key line_seq.
-- rating_field: grain one row per rating line; key line_seq; its three fields typed.
-- rating: the same rows with their movie: the nearest header line above (ASOF join), which is how SQL
-- recovers the block structure of the files. Joining integers only is the fastest of the ASOF forms tried
-- (file number as an equality key, or the raw line carried through the join, cost 1.3-2x the CPU).
CREATE TEMP TABLE movie_header AS
SELECT line_seq, CAST(rtrim(line, ':') AS INTEGER) AS movie_id
FROM rating_line
WHERE ends_with(line, ':');

CREATE TEMP TABLE rating_field AS
SELECT
    line_seq,
    CAST(split_part(line, ',', 1) AS INTEGER) AS customer_id,
    CAST(split_part(line, ',', 2) AS TINYINT) AS rating,
    CAST(split_part(line, ',', 3) AS DATE) AS rating_date
FROM rating_line
WHERE NOT ends_with(line, ':');

DROP TABLE rating_line;

CREATE TEMP TABLE rating AS
SELECT h.movie_id, r.customer_id, r.rating, r.rating_date, r.line_seq
FROM rating_field AS r
ASOF JOIN movie_header AS h ON r.line_seq >= h.line_seq;

DROP TABLE rating_field;
