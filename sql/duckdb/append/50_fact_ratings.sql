-- fact_ratings (append): grain one row per (movie, customer); keys rating_key, (customer_key, movie_key) unique.
-- fact_change: grain one stored row a new rating beat (fact_update of 11_duplicates.sql); key rating_key.
--   It keeps its rating_key and takes the new date and rating; old_date_key and old_rating are what
--   agg_date must forget.
-- fact_new: grain one new (movie, customer) pair; key rating_key, the next keys after the current maximum
--   in (movie_id, customer_id) order. stg_rating holds only pairs the warehouse lacks (11_duplicates.sql).
-- New rows are not flagged is_probe here: 52_probe_flags.sql flags the probe pairs among them.
-- Both are kept until 54_agg_scope.sql has read which movies, customers and days they touch. fact_change
-- takes the stored row's keys and date from stored_pair (10_collisions.sql), not from another fact scan.
-- The small sides are on the right: the build sides while the build/probe-side optimizer is off.
SET disabled_optimizers = 'build_side_probe_side';

CREATE TEMP TABLE fact_change AS
SELECT p.rating_key, p.customer_key, p.movie_key, p.date_key AS old_date_key, p.rating AS old_rating, u.date_key, CAST(u.rating AS SMALLINT) AS rating
FROM fact_update AS u
JOIN stored_pair AS p ON p.rating_key = u.rating_key;

UPDATE fact_ratings
SET date_key = c.date_key, rating = c.rating
FROM fact_change AS c
WHERE fact_ratings.rating_key = c.rating_key;

CREATE TEMP TABLE fact_new AS
SELECT
    (SELECT coalesce(max(rating_key), 0) FROM fact_ratings) + row_number() OVER (ORDER BY r.movie_id, r.customer_id) AS rating_key,
    c.customer_key,
    m.movie_key,
    r.date_key,
    CAST(r.rating AS SMALLINT) AS rating
FROM stg_rating AS r
JOIN dim_customer AS c ON c.customer_id = r.customer_id
JOIN dim_movie AS m ON m.movie_id = r.movie_id;

INSERT INTO fact_ratings
SELECT rating_key, customer_key, movie_key, date_key, rating, FALSE AS is_probe FROM fact_new ORDER BY rating_key;

RESET disabled_optimizers;
