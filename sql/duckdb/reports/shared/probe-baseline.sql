-- Shared CTEs of probe-baselines.sql and cold-start.sql: the Netflix Prize baseline predictors, trained on the
-- ratings outside the probe set (NOT is_probe) and applied to each probe rating.
-- predictions: one row per probe rating; columns customer_key, rating, customer_training_ratings (n_u below,
-- 0 for a customer with no training rating), and the three predictions, with mu the mean training rating:
--   global_mean:  mu
--   movie_mean:   the movie's mean training rating (mu for a movie with none)
--   baseline:     mu + b_i + b_u clipped to [1, 5], the damped baselines of the Prize literature:
--                 b_i = sum(r - mu) / (n_i + 25) over the movie's n_i training ratings,
--                 b_u = sum(r - mu - b_i) / (n_u + 10) over the customer's n_u (0 when absent)
-- no_probe: the one line a report shows instead when there is no probe rating.
-- Speed: a training sum is the sum over all ratings less the one over the probe ratings (a few percent), and
-- the sums over all ratings are in agg_movie and dim_customer but one: b_u = (sum(r) - n_u * mu - sum(b_i)) /
-- (n_u + 10) needs sum(b_i) over each customer's ratings, the one pass over fact_ratings (a join with the
-- movies' b_i and one sum per customer).
probe AS (
    SELECT customer_key, movie_key, rating FROM fact_ratings WHERE is_probe
),
probe_per_movie AS (
    SELECT movie_key, count(*) AS ratings, sum(rating) AS rating_sum FROM probe GROUP BY movie_key
),
movie_training AS (
    SELECT a.movie_key, a.rating_count - coalesce(p.ratings, 0) AS n_i, a.rating_sum - coalesce(p.rating_sum, 0) AS rating_sum
    FROM agg_movie AS a
    LEFT JOIN probe_per_movie AS p ON p.movie_key = a.movie_key
),
global AS (
    SELECT sum(rating_sum) / sum(n_i) AS mu FROM movie_training
),
movie_bias AS (
    SELECT t.movie_key, t.rating_sum / t.n_i AS movie_mean, (t.rating_sum - t.n_i * g.mu) / (t.n_i + 25) AS b_i
    FROM movie_training AS t
    CROSS JOIN global AS g
    WHERE t.n_i > 0
),
probe_per_customer AS (
    SELECT p.customer_key, count(*) AS ratings, sum(p.rating) AS rating_sum, sum(m.b_i) AS b_i_sum
    FROM probe AS p
    LEFT JOIN movie_bias AS m ON m.movie_key = p.movie_key
    GROUP BY p.customer_key
),
b_i_per_customer AS (
    SELECT f.customer_key, sum(m.b_i) AS b_i_sum
    FROM fact_ratings AS f
    JOIN movie_bias AS m ON m.movie_key = f.movie_key
    GROUP BY f.customer_key
),
customer_training AS (
    -- dim_customer's avg_rating is its integer sum / count exactly, so the product rounds back to the sum
    SELECT
        d.customer_key,
        d.total_ratings - coalesce(p.ratings, 0) AS n_u,
        CAST(round(d.avg_rating * d.total_ratings) AS BIGINT) - coalesce(p.rating_sum, 0) AS rating_sum,
        coalesce(b.b_i_sum, 0) - coalesce(p.b_i_sum, 0) AS b_i_sum
    FROM dim_customer AS d
    LEFT JOIN b_i_per_customer AS b ON b.customer_key = d.customer_key
    LEFT JOIN probe_per_customer AS p ON p.customer_key = d.customer_key
    WHERE d.total_ratings > coalesce(p.ratings, 0)
),
customer_bias AS (
    SELECT c.customer_key, c.n_u, (c.rating_sum - c.n_u * g.mu - c.b_i_sum) / (c.n_u + 10) AS b_u
    FROM customer_training AS c
    CROSS JOIN global AS g
),
predictions AS (
    SELECT
        p.customer_key,
        CAST(p.rating AS DOUBLE) AS rating,
        coalesce(c.n_u, 0) AS customer_training_ratings,
        g.mu AS global_mean,
        coalesce(m.movie_mean, g.mu) AS movie_mean,
        least(5.0, greatest(1.0, g.mu + coalesce(m.b_i, 0) + coalesce(c.b_u, 0))) AS baseline
    FROM probe AS p
    CROSS JOIN global AS g
    LEFT JOIN movie_bias AS m ON m.movie_key = p.movie_key
    LEFT JOIN customer_bias AS c ON c.customer_key = p.customer_key
),
no_probe (note) AS (
    VALUES ('none: no probe ratings (is_probe is false everywhere; transform with probe.txt)')
)
