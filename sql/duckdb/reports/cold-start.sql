-- @summary How thin the data is at the edges: customers and movies by how many ratings they have, with the median and 90th percentile.
-- Grain: one row per (subject, bucket): subject 'customer' or 'movie'; bucket one of 1, 2-4, 5-9, 10-19,
-- 20-49, 50-99, 100-499, 500+ (every bucket, empty ones with 0), then one row 'all' per subject.
-- Columns: subject, bucket, min_ratings, max_ratings (NULL: no upper bound), subjects (customers or movies
-- in the bucket), share (percent of all customers or all rated movies), ratings (their ratings), avg_rating
-- (the mean of those ratings, NULL for an empty bucket), median_ratings and p90_ratings (only on the 'all'
-- row: ratings per customer or per movie, continuous quantiles, interpolated as quantile_cont does).
-- A movie with no rating is in no bucket. All ratings count.
WITH customer_totals AS (
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
subject_totals AS (
    SELECT 'customer' AS subject, rating_count, rating_sum FROM customer_totals
    UNION ALL
    SELECT 'movie' AS subject, rating_count, rating_sum FROM movie_totals WHERE rating_count > 0
),
buckets (bucket_order, bucket, min_ratings, max_ratings) AS (
    VALUES (1, '1', 1, 1), (2, '2-4', 2, 4), (3, '5-9', 5, 9), (4, '10-19', 10, 19), (5, '20-49', 20, 49),
           (6, '50-99', 50, 99), (7, '100-499', 100, 499), (8, '500+', 500, NULL)
),
subjects (subject) AS (
    VALUES ('customer'), ('movie')
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
        sum(t.rating_sum) AS rating_sum
    FROM subjects AS s
    CROSS JOIN buckets AS b
    LEFT JOIN subject_totals AS t
      ON t.subject = s.subject
     AND t.rating_count >= b.min_ratings
     AND (b.max_ratings IS NULL OR t.rating_count <= b.max_ratings)
    GROUP BY ALL
),
per_subject AS (
    SELECT
        subject,
        count(*) AS subjects,
        sum(rating_count) AS ratings,
        sum(rating_sum) AS rating_sum,
        quantile_cont(rating_count, 0.5) AS median_ratings,
        quantile_cont(rating_count, 0.9) AS p90_ratings
    FROM subject_totals
    GROUP BY subject
),
report_rows AS (
    SELECT
        b.subject, b.bucket_order, b.bucket, b.min_ratings, b.max_ratings, b.subjects,
        round(100.0 * b.subjects / nullif(a.subjects, 0), 2) AS share,
        b.ratings, b.rating_sum,
        CAST(NULL AS DOUBLE) AS median_ratings, CAST(NULL AS DOUBLE) AS p90_ratings
    FROM per_bucket AS b
    LEFT JOIN per_subject AS a ON a.subject = b.subject
    UNION ALL
    SELECT
        s.subject, 9 AS bucket_order, 'all' AS bucket, 1 AS min_ratings, NULL AS max_ratings, coalesce(a.subjects, 0),
        CASE WHEN a.subjects > 0 THEN 100.0 END AS share,
        coalesce(a.ratings, 0), a.rating_sum, a.median_ratings, a.p90_ratings
    FROM subjects AS s
    LEFT JOIN per_subject AS a ON a.subject = s.subject
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
    p90_ratings
FROM report_rows
ORDER BY subject, bucket_order;
