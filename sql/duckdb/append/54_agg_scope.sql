-- What an append touched, and the aggregate rows it therefore rebuilds (with ../55, 56 and 58, scoped to these):
-- agg_scope_movie:    grain one movie with a new or changed rating, or new in dim_movie; key movie_key
-- agg_date is not rebuilt from fact_ratings: its counts add up, so 57_day_star_delta.sql adds what changed.
-- agg_scope_customer: grain one customer with a new or changed rating; key customer_key
-- Their rows are deleted from agg_movie, agg_movie_month and agg_customer_year here and recomputed from
-- fact_ratings after.
CREATE TEMP TABLE agg_scope_movie AS
SELECT movie_key FROM fact_change
UNION
SELECT movie_key FROM fact_new
UNION
SELECT movie_key FROM dim_movie WHERE movie_key NOT IN (SELECT movie_key FROM agg_movie);

CREATE TEMP TABLE agg_scope_customer AS
SELECT customer_key FROM fact_change
UNION
SELECT customer_key FROM fact_new;

DELETE FROM agg_movie WHERE movie_key IN (SELECT movie_key FROM agg_scope_movie);
DELETE FROM agg_movie_month WHERE movie_key IN (SELECT movie_key FROM agg_scope_movie);
DELETE FROM agg_customer_year WHERE customer_key IN (SELECT customer_key FROM agg_scope_customer);
