-- Shared CTEs of similar-movies.sql and similar-customers.sql: the Pearson neighbours of one item (a movie, or a
-- customer) among the other items of its kind, over their common raters (customers, or movies). It reads two
-- CTEs the report defines before it: ratings (item_key, rater_key, rating), every rating once; target
-- (item_key, raters), the one item and how many ratings it has. It gives neighbours (item_key, n, pearson,
-- similarity): every other item with at least $min_common common raters and variance on both sides, pearson and
-- similarity rounded to 6 decimals.
-- Speed: the target's ratings (one per rater) are the small build side of one hash join with all ratings, and
-- the six sums Pearson needs are collected per other item in that one pass as three integer sums, two packed in
-- each: three aggregate states to update per joined row instead of six (what costs most when the items are the
-- 480k customers; the warehouse is opened with a perfect hash aggregate for them, see warehouse.ts):
--   n_sx    = sum(1 + x * 2^20):        n in bits 0-19, Sx above
--   sy_syy  = sum(y + y^2 * 2^23):      Sy in bits 0-22, Syy above
--   sxy_sxx = sum(x*y + x^2 * 2^25):    Sxy in bits 0-24, Sxx above
-- Only x comes from the build side (the terms from it cost more to fetch than to compute when the target is a
-- movie with 200k raters). With ratings 1..5 each low field holds its sum while n < 2^20 (the target has fewer
-- than 1,048,576 raters: checked, an error otherwise; the Prize has 480,189 customers), each term fits an
-- INTEGER (< 2^30), and DuckDB sums INTEGERs in a BIGINT. The sums are exact and below 2^53, so the moments are
-- exact in DOUBLE and zero variance is an exact 0.
target_ratings AS (
    SELECT r.rater_key, r.rating AS x
    FROM ratings AS r
    JOIN target AS t ON t.item_key = r.item_key
),
packed_sums AS (
    SELECT
        r.item_key,
        sum(1 + t.x * 1048576) AS n_sx,
        sum(r.rating + r.rating * r.rating * 8388608) AS sy_syy,
        sum(t.x * r.rating + t.x * t.x * 33554432) AS sxy_sxx
    FROM ratings AS r
    JOIN target_ratings AS t ON t.rater_key = r.rater_key
    GROUP BY r.item_key
),
pair_sums AS (
    SELECT
        item_key,
        n_sx & 1048575 AS n,
        n_sx >> 20 AS sx,
        sy_syy & 8388607 AS sy,
        sy_syy >> 23 AS syy,
        sxy_sxx & 33554431 AS sxy,
        sxy_sxx >> 25 AS sxx
    FROM packed_sums
    WHERE n_sx & 1048575 >= $min_common
),
-- the item paired with itself is one more group, dropped below: cheaper than a filter on every rating
-- n^2 times the covariance and the two variances
pair_moments AS (
    SELECT
        item_key,
        n,
        CAST(n AS DOUBLE) * sxy - CAST(sx AS DOUBLE) * sy AS co_moment,
        CAST(n AS DOUBLE) * sxx - CAST(sx AS DOUBLE) * sx AS x_moment,
        CAST(n AS DOUBLE) * syy - CAST(sy AS DOUBLE) * sy AS y_moment
    FROM pair_sums
),
target_fits AS (
    SELECT CASE WHEN raters < 1048576 THEN true ELSE error('the item has 1,048,576 raters or more, beyond the packed sums of pearson-neighbours.sql') END AS ok
    FROM target
),
correlated AS (
    SELECT item_key, n, co_moment / sqrt(x_moment * y_moment) AS pearson
    FROM pair_moments
    WHERE x_moment > 0 AND y_moment > 0
      AND item_key <> (SELECT item_key FROM target)
      AND (SELECT ok FROM target_fits)
),
neighbours AS (
    SELECT item_key, n, round(pearson, 6) AS pearson, round(n / (n + 100.0) * pearson, 6) AS similarity
    FROM correlated
)
