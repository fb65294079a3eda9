-- The duplicate rule: fills dup_loser (grain one row per rating occurrence it drops; key (file_id, line_number))
-- and dup_loser_rating (the same occurrences' movie, date and star).
-- The fact grain is one rating per (movie, customer): the latest date wins, on equal dates the later
-- occurrence (file path order, then line order). Only movies the parser flagged as suspects can hold a
-- repeated pair, and only their ratings were read again with line numbers (stg_suspect_rating, see
-- src/transforms/duplicates.ts), so the window runs over those alone. Runs only when there are suspects.
-- The suspects are the small side of the DELETE's join, on the right: the build side while the
-- build/probe-side optimizer is off (see 50_fact_ratings.sql for why).
SET disabled_optimizers = 'build_side_probe_side';

CREATE TEMP TABLE dup_ranked AS
SELECT
    line_ref,
    movie_id,
    customer_id,
    date_key,
    rating,
    row_number() OVER (
        PARTITION BY movie_id, customer_id
        ORDER BY date_key DESC, line_ref DESC
    ) AS occurrence
FROM stg_suspect_rating;

INSERT INTO dup_loser
SELECT CAST(line_ref >> 32 AS INTEGER) AS file_id, line_ref & 4294967295 AS line_number
FROM dup_ranked
WHERE occurrence > 1;

-- What the parse threads counted of them for the aggregate tables, which 55-57 take off.
INSERT INTO dup_loser_rating
SELECT movie_id, date_key, rating
FROM dup_ranked
WHERE occurrence > 1;

-- The suspects' staged ratings make way for their kept occurrences, ranked over the whole movie (the
-- parser ranked them within each run only): from here on stg_rating holds one rating per (movie_id,
-- customer_id), movie_rank is the customer's rank in the movie, and stg_movie_ratings counts kept ratings.
-- The probe bit (is_probe, which the parser sets) is set on the kept occurrences whose pair is an accepted
-- probe line.
DELETE FROM staging.stg_rating_packed
WHERE movie_customer >> 31 IN (SELECT movie_id FROM stg_suspect_movie);

INSERT INTO staging.stg_rating_packed
SELECT
    d.movie_customer,
    (row_number() OVER (PARTITION BY d.movie_id ORDER BY d.customer_id) << 31) | (CAST(d.date_key AS BIGINT) << 4) | d.rating
        | CASE WHEN d.movie_customer IN (SELECT movie_customer FROM stg_probe) THEN 8 ELSE 0 END
FROM (
    SELECT (CAST(movie_id AS BIGINT) << 31) | customer_id AS movie_customer, movie_id, customer_id, date_key, rating
    FROM dup_ranked
    WHERE occurrence = 1
) AS d;

DELETE FROM stg_movie_ratings
WHERE movie_id IN (SELECT movie_id FROM stg_suspect_movie);

INSERT INTO stg_movie_ratings
SELECT movie_id, count(*)
FROM dup_ranked
WHERE occurrence = 1
GROUP BY movie_id;

DROP TABLE dup_ranked;

RESET disabled_optimizers;
