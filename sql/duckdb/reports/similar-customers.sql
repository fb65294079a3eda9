-- @summary The customers who rated the same movies most alike: Pearson correlation shrunk by support.
-- @param id integer (required): the customer_id to find similar customers for
-- @must-exist id dim_customer.customer_id
-- @param min_common integer = 20: the fewest movies both customers rated
-- @param limit integer = 20: how many customers to list
-- Grain: one row per other customer with at least min_common common movies (movies both rated) and some
-- variance on both sides; key customer_id. The top `limit` by similarity, ties by customer_id.
-- Columns: customer_id, common_movies, pearson, similarity.
-- With x the customer's rating and y the other customer's, over the n common movies: pearson =
-- (n*Sxy - Sx*Sy) / sqrt((n*Sxx - Sx^2) * (n*Syy - Sy^2)), similarity = n / (n + 100) * pearson. A pair with
-- zero variance on either side has no correlation and is left out. All ratings count. pearson and similarity
-- are shown to 6 decimals, and the order is by the similarity shown, so that values equal but for floating-point
-- noise (the same fraction reached from other sums) are ties, ordered by customer_id.
-- Speed: as similar-movies.sql, with the customer's ratings (one per movie) as the small build side.
WITH target AS (
    SELECT customer_key
    FROM dim_customer
    WHERE customer_id = $id
),
target_ratings AS (
    SELECT f.movie_key, f.rating AS x
    FROM fact_ratings AS f
    JOIN target AS t ON t.customer_key = f.customer_key
),
pair_sums AS (
    SELECT
        f.customer_key,
        count(*) AS n,
        sum(t.x) AS sx,
        sum(f.rating) AS sy,
        sum(t.x * t.x) AS sxx,
        sum(f.rating * f.rating) AS syy,
        sum(t.x * f.rating) AS sxy
    FROM fact_ratings AS f
    JOIN target_ratings AS t ON t.movie_key = f.movie_key
    GROUP BY f.customer_key
    HAVING count(*) >= $min_common
),
-- the customer paired with itself is one more group, dropped below: cheaper than a filter on every fact row
-- n^2 times the covariance and the two variances
pair_moments AS (
    SELECT
        customer_key,
        n,
        CAST(n AS DOUBLE) * sxy - CAST(sx AS DOUBLE) * sy AS co_moment,
        CAST(n AS DOUBLE) * sxx - CAST(sx AS DOUBLE) * sx AS x_moment,
        CAST(n AS DOUBLE) * syy - CAST(sy AS DOUBLE) * sy AS y_moment
    FROM pair_sums
),
correlated AS (
    SELECT customer_key, n, co_moment / sqrt(x_moment * y_moment) AS pearson
    FROM pair_moments
    WHERE x_moment > 0 AND y_moment > 0
      AND customer_key <> (SELECT customer_key FROM target)
)
SELECT
    c.customer_id,
    p.n AS common_movies,
    round(p.pearson, 6) AS pearson,
    round(p.n / (p.n + 100.0) * p.pearson, 6) AS similarity
FROM correlated AS p
JOIN dim_customer AS c ON c.customer_key = p.customer_key
ORDER BY similarity DESC, c.customer_id
LIMIT $limit;
