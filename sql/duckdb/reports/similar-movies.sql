-- @summary The movies rated most alike by the customers who rated both: Pearson correlation shrunk by support.
-- @param id integer (required): the movie_id to find similar movies for
-- @must-exist id dim_movie.movie_id
-- @param min_common integer = 20: the fewest customers who rated both movies
-- @param limit integer = 20: how many movies to list
-- Grain: one row per other movie with at least min_common common customers (customers who rated both) and
-- some variance on both sides; key movie_id. The top `limit` by similarity, ties by movie_id.
-- Columns: movie_id, title, release_year, common_customers, pearson, similarity.
-- With x the movie's rating and y the other movie's, over the n common customers: pearson =
-- (n*Sxy - Sx*Sy) / sqrt((n*Sxx - Sx^2) * (n*Syy - Sy^2)), similarity = n / (n + 100) * pearson. A pair with
-- zero variance on either side has no correlation and is left out. All ratings count. pearson and similarity
-- are shown to 6 decimals, and the order is by the similarity shown, so that values equal but for floating-point
-- noise (the same fraction reached from other sums) are ties, ordered by movie_id.
-- Speed: the movie's own ratings (one per customer) are the small build side of one hash join with
-- fact_ratings, and the six sums per other movie are integer sums collected in that one pass (no window).
-- The sums are exact and below 2^53, so the moments are exact in DOUBLE and zero variance is an exact 0.
WITH target AS (
    SELECT movie_key
    FROM dim_movie
    WHERE movie_id = $id
),
target_ratings AS (
    SELECT f.customer_key, f.rating AS x
    FROM fact_ratings AS f
    JOIN target AS t ON t.movie_key = f.movie_key
),
pair_sums AS (
    SELECT
        f.movie_key,
        count(*) AS n,
        sum(t.x) AS sx,
        sum(f.rating) AS sy,
        sum(t.x * t.x) AS sxx,
        sum(f.rating * f.rating) AS syy,
        sum(t.x * f.rating) AS sxy
    FROM fact_ratings AS f
    JOIN target_ratings AS t ON t.customer_key = f.customer_key
    GROUP BY f.movie_key
    HAVING count(*) >= $min_common
),
-- the movie paired with itself is one more group, dropped below: cheaper than a filter on every fact row
-- n^2 times the covariance and the two variances
pair_moments AS (
    SELECT
        movie_key,
        n,
        CAST(n AS DOUBLE) * sxy - CAST(sx AS DOUBLE) * sy AS co_moment,
        CAST(n AS DOUBLE) * sxx - CAST(sx AS DOUBLE) * sx AS x_moment,
        CAST(n AS DOUBLE) * syy - CAST(sy AS DOUBLE) * sy AS y_moment
    FROM pair_sums
),
correlated AS (
    SELECT movie_key, n, co_moment / sqrt(x_moment * y_moment) AS pearson
    FROM pair_moments
    WHERE x_moment > 0 AND y_moment > 0
      AND movie_key <> (SELECT movie_key FROM target)
)
SELECT
    m.movie_id,
    m.title,
    m.release_year,
    c.n AS common_customers,
    round(c.pearson, 6) AS pearson,
    round(c.n / (c.n + 100.0) * c.pearson, 6) AS similarity
FROM correlated AS c
JOIN dim_movie AS m ON m.movie_key = c.movie_key
ORDER BY similarity DESC, m.movie_id
LIMIT $limit;
