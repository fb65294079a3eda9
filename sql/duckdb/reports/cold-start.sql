-- @summary How thin the data is at the edges: customers and movies by how many ratings they have, with the median and 90th percentile, and the baseline's probe RMSE by customer activity.
-- Grain: one row per (subject, bucket): subject 'customer', 'movie' or 'probe'; bucket one of 1, 2-4, 5-9, 10-19,
-- 20-49, 50-99, 100-499, 500+ (every bucket, empty ones with 0; 'probe' has a bucket 0 before them), then one
-- row 'all' per subject.
-- customer and movie: customers (movies) by their number of ratings, all ratings counted. probe: the customers
-- with probe ratings (is_probe) by their number of training ratings (NOT is_probe: n_u of the baseline), and
-- their probe ratings scored with the movie_customer_baseline predictor of probe-baselines.sql (where cold start
-- hurts). Without probe ratings, one 'probe' row whose bucket says so.
-- Columns: subject, bucket, min_ratings, max_ratings (NULL: no upper bound), subjects (customers or movies
-- in the bucket), share (percent of all customers, all rated movies, or all customers with probe ratings),
-- ratings (their ratings; probe: their probe ratings), avg_rating (the mean of those ratings, NULL for an empty
-- bucket), median_ratings and p90_ratings (only on the 'all' row: ratings per customer or per movie, training
-- ratings per customer for probe; continuous quantiles, interpolated as quantile_cont does), baseline_rmse (probe
-- only: root mean squared error of the baseline on the bucket's probe ratings, 6 decimals; NULL when it has none).
-- A movie with no rating is in no bucket.
WITH
{{> probe-baseline}},
customer_totals AS (
    -- per customer: count and sum of their ratings; avg_rating is sum / count exactly, so the product
    -- rounds back to the integer sum
    SELECT total_ratings AS rating_count, CAST(round(avg_rating * total_ratings) AS BIGINT) AS rating_sum
    FROM dim_customer
),
movie_totals AS (
    -- per movie: count and sum of its ratings, from agg_movie (SPEC 2.1; unrated movies have 0)
    SELECT movie_key, rating_count, rating_sum
    FROM agg_movie
),
probe_totals AS (
    -- per customer with probe ratings: their training ratings, and their probe ratings with the baseline's
    -- squared errors
    SELECT
        customer_training_ratings AS training_ratings,
        count(*) AS rating_count,
        sum(rating) AS rating_sum,
        sum((rating - baseline) ^ 2) AS squared_error
    FROM predictions
    GROUP BY customer_key, customer_training_ratings
),
subject_totals AS (
    -- bucketed_by: the count that puts the subject in a bucket
    SELECT 'customer' AS subject, rating_count AS bucketed_by, rating_count, rating_sum, NULL AS squared_error FROM customer_totals
    UNION ALL
    SELECT 'movie', rating_count, rating_count, rating_sum, NULL FROM movie_totals WHERE rating_count > 0
    UNION ALL
    SELECT 'probe', training_ratings, rating_count, rating_sum, squared_error FROM probe_totals
),
buckets (bucket_order, bucket, min_ratings, max_ratings) AS (
    VALUES (0, '0', 0, 0), (1, '1', 1, 1), (2, '2-4', 2, 4), (3, '5-9', 5, 9), (4, '10-19', 10, 19), (5, '20-49', 20, 49),
           (6, '50-99', 50, 99), (7, '100-499', 100, 499), (8, '500+', 500, NULL)
),
subjects (subject, lowest) AS (
    -- customers and movies have at least one rating; a customer in the probe set may have no training rating
    VALUES ('customer', 1), ('movie', 1), ('probe', 0)
),
per_bucket AS (
    SELECT
        s.subject,
        b.bucket_order,
        b.bucket,
        b.min_ratings,
        b.max_ratings,
        count(t.rating_count) AS subjects,
        coalesce(sum(t.rating_count), 0) AS ratings,
        sum(t.rating_sum) AS rating_sum,
        sum(t.squared_error) AS squared_error
    FROM subjects AS s
    JOIN buckets AS b ON b.min_ratings >= s.lowest
    LEFT JOIN subject_totals AS t
      ON t.subject = s.subject
     AND t.bucketed_by >= b.min_ratings
     AND (b.max_ratings IS NULL OR t.bucketed_by <= b.max_ratings)
    GROUP BY ALL
),
per_subject AS (
    SELECT
        subject,
        count(*) AS subjects,
        sum(rating_count) AS ratings,
        sum(rating_sum) AS rating_sum,
        sum(squared_error) AS squared_error,
        quantile_cont(bucketed_by, 0.5) AS median_ratings,
        quantile_cont(bucketed_by, 0.9) AS p90_ratings
    FROM subject_totals
    GROUP BY subject
),
report_rows AS (
    SELECT
        b.subject, b.bucket_order, b.bucket, b.min_ratings, b.max_ratings, b.subjects,
        round(100.0 * b.subjects / nullif(a.subjects, 0), 2) AS share,
        b.ratings, b.rating_sum, b.squared_error,
        CAST(NULL AS DOUBLE) AS median_ratings, CAST(NULL AS DOUBLE) AS p90_ratings
    FROM per_bucket AS b
    LEFT JOIN per_subject AS a ON a.subject = b.subject
    UNION ALL
    SELECT
        s.subject, 9 AS bucket_order, 'all' AS bucket, s.lowest AS min_ratings, NULL AS max_ratings, coalesce(a.subjects, 0),
        CASE WHEN a.subjects > 0 THEN 100.0 END AS share,
        coalesce(a.ratings, 0), a.rating_sum, a.squared_error, a.median_ratings, a.p90_ratings
    FROM subjects AS s
    LEFT JOIN per_subject AS a ON a.subject = s.subject
),
shown_rows AS (
    -- without probe ratings, the one line that says so instead of the probe buckets
    SELECT * FROM report_rows
    WHERE subject <> 'probe' OR EXISTS (SELECT 1 FROM per_subject WHERE subject = 'probe')
    UNION ALL
    SELECT
        'probe', 0, n.note, NULL, NULL, 0, NULL, 0, NULL, NULL, NULL, NULL
    FROM no_probe AS n
    WHERE NOT EXISTS (SELECT 1 FROM per_subject WHERE subject = 'probe')
)
SELECT
    subject,
    bucket,
    min_ratings,
    max_ratings,
    subjects,
    share,
    ratings,
    round(rating_sum / nullif(ratings, 0), 4) AS avg_rating,
    median_ratings,
    p90_ratings,
    round(sqrt(squared_error / nullif(ratings, 0)), 6) AS baseline_rmse
FROM shown_rows
ORDER BY subject, bucket_order;
