-- @summary RMSE on the probe set of the Netflix Prize baseline predictors, trained on the ratings outside it (NOT is_probe).
-- Grain: one row per predictor; key predictor. Without probe ratings (no probe.txt loaded), one row that says so.
-- Columns: predictor, probe_ratings (ratings scored), rmse (root mean squared error on them, rounded to 6 decimals).
-- Predictors, with mu the mean training rating:
--   global_mean:             mu
--   movie_mean:              the movie's mean training rating (mu for a movie with none)
--   movie_customer_baseline: mu + b_i + b_u clipped to [1, 5], the damped baselines of the Prize literature:
--                            b_i = sum(r - mu) / (n_i + 25) over the movie's training ratings,
--                            b_u = sum(r - mu - b_i) / (n_u + 10) over the customer's (0 when absent)
-- The predictors are trained and applied in shared/probe-baseline.sql (cold-start.sql scores the baseline by
-- customer activity with the same CTEs).
WITH
{{> probe-baseline}},
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
    SELECT 0, n.note, 0, NULL FROM errors CROSS JOIN no_probe AS n WHERE probe_ratings = 0
)
SELECT predictor, probe_ratings, rmse
FROM results
ORDER BY position;
