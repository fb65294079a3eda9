-- dup_loser: grain one row per rating occurrence dropped by the duplicate rule; key line_ref.
-- The fact grain is one rating per (movie, customer): the latest date wins, on equal dates the later
-- occurrence (file path order, then line order, which is line_ref order). Only movies the parser flagged
-- as suspects can hold a repeated pair, so the window runs over their ratings alone.
-- The suspects (and the ranked rows) are the small side of each join below, written on the right: the
-- build side while the build/probe-side optimizer is off (see 50_fact_ratings.sql for why).
SET disabled_optimizers = 'build_side_probe_side';

CREATE TEMP TABLE dup_loser AS
WITH candidates AS (
    SELECT r.line_ref, r.movie_id, r.customer_id, r.date_key
    FROM stg_rating AS r
    SEMI JOIN stg_suspect_movie AS s ON r.movie_id = s.movie_id
),
ranked AS (
    SELECT
        line_ref,
        row_number() OVER (
            PARTITION BY movie_id, customer_id
            ORDER BY date_key DESC, line_ref DESC
        ) AS occurrence
    FROM candidates
)
SELECT
    CAST(line_ref >> 32 AS INTEGER) AS file_id,
    line_ref & 4294967295 AS line_number,
    line_ref
FROM ranked
WHERE occurrence > 1;

-- From here on stg_rating holds exactly the kept ratings, one per (movie_id, customer_id).
DELETE FROM staging.stg_rating_packed WHERE line_ref IN (SELECT line_ref FROM dup_loser);

-- The parser ranked customers within each run of a movie; a suspect movie (several runs, or a repeated
-- customer) is ranked again here over its kept ratings, so movie_rank is the customer's rank in the movie.
UPDATE staging.stg_rating_packed
SET rank_date_rating = (CAST(ranked.movie_rank AS BIGINT) << 30) | (stg_rating_packed.rank_date_rating & 1073741823)
FROM (
    SELECT
        r.line_ref,
        row_number() OVER (PARTITION BY r.movie_id ORDER BY r.customer_id) AS movie_rank
    FROM stg_rating AS r
    SEMI JOIN stg_suspect_movie AS s ON r.movie_id = s.movie_id
) AS ranked
WHERE stg_rating_packed.line_ref = ranked.line_ref;

RESET disabled_optimizers;
