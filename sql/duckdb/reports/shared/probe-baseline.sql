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
training AS (
    SELECT customer_key, movie_key, CAST(rating AS DOUBLE) AS rating FROM fact_ratings WHERE NOT is_probe
),
probe AS (
    SELECT customer_key, movie_key, CAST(rating AS DOUBLE) AS rating FROM fact_ratings WHERE is_probe
),
global AS (
    SELECT avg(rating) AS mu FROM training
),
movie_bias AS (
    SELECT t.movie_key, avg(t.rating) AS movie_mean, sum(t.rating - g.mu) / (count(*) + 25) AS b_i
    FROM training AS t
    CROSS JOIN global AS g
    GROUP BY t.movie_key
),
customer_bias AS (
    SELECT t.customer_key, count(*) AS training_ratings, sum(t.rating - g.mu - m.b_i) / (count(*) + 10) AS b_u
    FROM training AS t
    JOIN movie_bias AS m ON m.movie_key = t.movie_key
    CROSS JOIN global AS g
    GROUP BY t.customer_key
),
predictions AS (
    SELECT
        p.customer_key,
        p.rating,
        coalesce(c.training_ratings, 0) AS customer_training_ratings,
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
