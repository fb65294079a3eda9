-- dup_loser: grain one row per rating occurrence dropped by the duplicate rule; key line_seq.
-- The fact grain is one rating per (movie, customer): the latest date wins, on equal dates the later
-- occurrence (file path order, then line order, which is line_seq order). Only movies the parser flagged
-- as suspects can hold a repeated pair, so the window runs over their ratings alone.
CREATE TEMP TABLE dup_loser AS
WITH candidates AS (
    SELECT r.line_seq, r.movie_id, r.customer_id, r.rating_date
    FROM stg_rating AS r
    SEMI JOIN stg_suspect_movie AS s ON r.movie_id = s.movie_id
),
ranked AS (
    SELECT
        line_seq,
        row_number() OVER (
            PARTITION BY movie_id, customer_id
            ORDER BY rating_date DESC, line_seq DESC
        ) AS occurrence
    FROM candidates
)
SELECT f.file_id, r.line_seq - f.first_line_seq + 1 AS line_number, r.line_seq
FROM ranked AS r
JOIN stg_file AS f ON r.line_seq BETWEEN f.first_line_seq AND f.first_line_seq + f.lines - 1
WHERE r.occurrence > 1;

-- From here on stg_rating holds exactly the kept ratings, one per (movie_id, customer_id).
DELETE FROM stg_rating WHERE line_seq IN (SELECT line_seq FROM dup_loser);
