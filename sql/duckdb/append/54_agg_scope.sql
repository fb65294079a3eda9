-- What an append touched, for the aggregate files after it (55_movie_delta, 57_day_star_delta, 58_customer_delta):
-- agg_scope_movie:    grain one movie with a new or changed rating, or new in dim_movie; key movie_key
-- agg_scope_customer: grain one customer with a new or changed rating; key customer_key
-- fact_delta:         grain one rating the append added (n = 1: a new fact row, or a beaten row's new date and
--                     rating) or removed (n = -1: a beaten row's old date and rating); no key. Counts and sums
--                     of every aggregate add up, so each is brought up to date from these rows alone, without
--                     a scan of fact_ratings; only a first or last date whose rating moved is found again.
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

CREATE TEMP TABLE fact_delta AS
SELECT customer_key, movie_key, date_key, rating, 1 AS n FROM fact_new
UNION ALL
SELECT customer_key, movie_key, date_key, rating, 1 FROM fact_change
UNION ALL
SELECT customer_key, movie_key, old_date_key, old_rating, -1 FROM fact_change;
