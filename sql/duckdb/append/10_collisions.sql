-- stored_pair: grain one stored fact row whose (movie, customer) occurs again in the new files; key rating_key.
-- latest_new_date_key: the latest date of the pair's new occurrences (a later one beats the stored rating
-- whatever the order, 14_first_date_moves.sql).
-- needs_origin: a new occurrence is as late as the stored rating or later, so which one the duplicate rule
-- keeps depends on their order in (file path, line), and the stored rating may lose: its file and line are
-- needed (read again from the loaded file). A stored rating later than every new one is kept whatever its line.
-- new_pair is the small side, on the right of the join with fact_ratings: the build side while the
-- build/probe-side optimizer is off (see ../50_fact_ratings.sql for why).
SET disabled_optimizers = 'build_side_probe_side';

CREATE TEMP TABLE new_pair AS
SELECT
    m.movie_key,
    c.customer_key,
    r.movie_id,
    r.customer_id,
    max(r.date_key) AS latest_new_date_key
FROM stg_rating AS r
JOIN dim_customer AS c ON c.customer_id = r.customer_id
JOIN dim_movie AS m ON m.movie_id = r.movie_id
GROUP BY m.movie_key, c.customer_key, r.movie_id, r.customer_id;

CREATE TEMP TABLE stored_pair AS
SELECT
    f.rating_key,
    n.movie_key,
    n.customer_key,
    n.movie_id,
    n.customer_id,
    f.date_key,
    f.rating,
    n.latest_new_date_key,
    n.latest_new_date_key >= f.date_key AS needs_origin
FROM fact_ratings AS f
JOIN new_pair AS n ON n.customer_key = f.customer_key AND n.movie_key = f.movie_key;

DROP TABLE new_pair;

RESET disabled_optimizers;
