-- Shared CTEs of similar-movies.sql and similar-customers.sql: the Pearson neighbours of one item (a movie, or a
-- customer) among the other items of its kind, over their common raters (customers, or movies). It reads three
-- CTEs the report defines before it: target (item_key, raters), the one item and how many ratings it has;
-- pair_sums (item_key, n, sx, sy, sxx, syy, sxy), per other item with at least $min_common common raters the six
-- sums over them, x the target's rating and y the other item's (y may be shifted by a constant, y - c: the
-- moments below are the same integers, so the correlation is too); target_fits (ok), true when the report's way
-- of collecting the sums holds for the target (an error otherwise). It gives neighbours (item_key, n, pearson,
-- similarity): every other item with variance on both sides, pearson and similarity rounded to 6 decimals.
-- The sums are exact integers below 2^53, so the moments are exact in DOUBLE and zero variance is an exact 0.
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
-- the item paired with itself is one more group of the sums, dropped here: cheaper than a filter on every rating
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
