-- @summary RMSE on the probe set of the Netflix Prize baseline predictors, trained on the ratings outside it (NOT is_probe).
-- Grain: one row per predictor; key predictor. Without probe ratings (no probe.txt loaded), one row that says so.
-- Columns: predictor, probe_ratings (ratings scored), rmse (root mean squared error on them, rounded to 6 decimals).
-- Predictors, with mu the mean training rating:
--   global_mean:             mu
--   movie_mean:              the movie's mean training rating (mu for a movie with none)
--   movie_customer_baseline: mu + b_i + b_u clipped to [1, 5], the damped baselines of the Prize literature:
--                            b_i = sum(r - mu) / (n_i + 25) over the movie's training ratings,
--                            b_u = sum(r - mu - b_i) / (n_u + 10) over the customer's (0 when absent)
WITH training AS (
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
    SELECT t.customer_key, sum(t.rating - g.mu - m.b_i) / (count(*) + 10) AS b_u
    FROM training AS t
    JOIN movie_bias AS m ON m.movie_key = t.movie_key
    CROSS JOIN global AS g
    GROUP BY t.customer_key
),
predictions AS (
    SELECT
        p.rating,
        g.mu AS global_mean,
        coalesce(m.movie_mean, g.mu) AS movie_mean,
        least(5.0, greatest(1.0, g.mu + coalesce(m.b_i, 0) + coalesce(c.b_u, 0))) AS baseline
    FROM probe AS p
    CROSS JOIN global AS g
    LEFT JOIN movie_bias AS m ON m.movie_key = p.movie_key
    LEFT JOIN customer_bias AS c ON c.customer_key = p.customer_key
),
errors AS (
    SELECT
        count(*) AS probe_ratings,
        sum((rating - global_mean) ^ 2) AS global_mean,
        sum((rating - movie_mean) ^ 2) AS movie_mean,
        sum((rating - baseline) ^ 2) AS baseline
    FROM predictions
),
results AS (
    SELECT 1 AS position, 'global_mean' AS predictor, probe_ratings, round(sqrt(global_mean / probe_ratings), 6) AS rmse FROM errors WHERE probe_ratings > 0
    UNION ALL
    SELECT 2, 'movie_mean', probe_ratings, round(sqrt(movie_mean / probe_ratings), 6) FROM errors WHERE probe_ratings > 0
    UNION ALL
    SELECT 3, 'movie_customer_baseline', probe_ratings, round(sqrt(baseline / probe_ratings), 6) FROM errors WHERE probe_ratings > 0
    UNION ALL
    SELECT 0, 'none: no probe ratings (is_probe is false everywhere; transform with probe.txt)', 0, NULL FROM errors WHERE probe_ratings = 0
)
SELECT predictor, probe_ratings, rmse
FROM results
ORDER BY position;
