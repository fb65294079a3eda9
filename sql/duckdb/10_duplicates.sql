-- dup_loser: grain one row per rating occurrence dropped by the duplicate rule; key (file_id, line_number).
-- The fact grain is one rating per (movie, customer): the latest date wins, on equal dates the later
-- occurrence (file path order, then line order). Only movies the parser flagged as suspects can hold a
-- repeated pair, so the window runs over their ratings alone.
CREATE TABLE dup_loser AS
WITH candidates AS (
    SELECT r.file_id, r.line_number, r.movie_id, r.customer_id, r.rating_date
    FROM stg_rating AS r
    SEMI JOIN stg_suspect_movie AS s ON r.movie_id = s.movie_id
),
ranked AS (
    SELECT
        file_id,
        line_number,
        row_number() OVER (
            PARTITION BY movie_id, customer_id
            ORDER BY rating_date DESC, file_id DESC, line_number DESC
        ) AS occurrence
    FROM candidates
)
SELECT file_id, line_number
FROM ranked
WHERE occurrence > 1;

-- rating_kept: grain one row per (movie_id, customer_id); the ratings that make the fact table.
CREATE VIEW rating_kept AS
SELECT r.*
FROM stg_rating AS r
ANTI JOIN dup_loser AS l ON r.file_id = l.file_id AND r.line_number = l.line_number;
