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
-- The correlation is computed in shared/pearson-neighbours.sql (similar-customers.sql computes it the other way round)
-- from the six sums collected here: the items are movies and their raters customers.
-- Speed: the movie's ratings (one per customer) are the build side of one hash join with all ratings, and the six
-- sums are collected per other movie in that one pass as three integer sums, two packed in each: three aggregate
-- states to update per joined row instead of six:
--   n_sx    = sum(1 + x * 2^20):        n in bits 0-19, Sx above
--   sy_syy  = sum(y + y^2 * 2^23):      Sy in bits 0-22, Syy above
--   sxy_sxx = sum(x*y + x^2 * 2^25):    Sxy in bits 0-24, Sxx above
-- Only x comes from the build side (the terms from it cost more to fetch than to compute when the movie has 200k
-- raters). With ratings 1..5 each low field holds its sum while n < 2^20 (the movie has fewer than 1,048,576
-- raters: checked, an error otherwise; the Prize has 480,189 customers), each term fits an INTEGER (< 2^30), and
-- DuckDB sums INTEGERs in a BIGINT. The sums are exact and below 2^53.
WITH
target AS (
    SELECT m.movie_key AS item_key, a.rating_count AS raters
    FROM dim_movie AS m
    JOIN agg_movie AS a ON a.movie_key = m.movie_key
    WHERE m.movie_id = $id
),
target_ratings AS (
    SELECT r.customer_key, r.rating AS x
    FROM fact_ratings AS r
    JOIN target AS t ON t.item_key = r.movie_key
),
packed_sums AS (
    SELECT
        r.movie_key AS item_key,
        sum(1 + t.x * 1048576) AS n_sx,
        sum(r.rating + r.rating * r.rating * 8388608) AS sy_syy,
        sum(t.x * r.rating + t.x * t.x * 33554432) AS sxy_sxx
    FROM fact_ratings AS r
    JOIN target_ratings AS t ON t.customer_key = r.customer_key
    GROUP BY r.movie_key
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
target_fits AS (
    SELECT CASE WHEN raters < 1048576 THEN true ELSE error('the movie has 1,048,576 raters or more, beyond the packed sums of similar-movies.sql') END AS ok
    FROM target
),
{{> pearson-neighbours}}
SELECT
    m.movie_id,
    m.title,
    m.release_year,
    n.n AS common_customers,
    n.pearson,
    n.similarity
FROM neighbours AS n
JOIN dim_movie AS m ON m.movie_key = n.item_key
ORDER BY n.similarity DESC, m.movie_id
LIMIT $limit;
