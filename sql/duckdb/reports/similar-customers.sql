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
-- The correlation is computed in shared/pearson-neighbours.sql (similar-movies.sql computes it the other way round)
-- from the six sums collected here: the items are customers and their raters movies.
-- Speed: the customer's ratings (one per movie) are the build side of one hash join with all ratings (all of
-- them for a customer who rated nearly every movie), and the six sums are collected per other customer (480k
-- groups, in DuckDB's perfect hash aggregate, see warehouse.ts) in that one pass as two DOUBLE sums, three sums
-- packed in each: two aggregate states per group to update per joined row instead of the three of
-- similar-movies.sql (for the most active customer at 100M, 0.87x the CPU of those three), and the terms of x
-- alone computed once per movie on the build side. With y' = y - 3 (Pearson is the same for a shifted y: the
-- moments n*Sxy' - Sx*Sy' and n*Sy'y' - Sy'^2 are the same integers):
--   x_sums = sum(1 + x * 2^15 + x^2 * 2^33):       n in bits 0-14, Sx in 15-32, Sxx from 33
--   y_sums = sum(y' * (1 + y' * 2^17 + x * 2^34)): Sy' (signed) in bits 0-16, Sy'y' in 17-33, Sxy' (signed) from 34
-- While the customer has fewer than 32,768 ratings (checked, an error otherwise; the Prize has 17,770 movies),
-- n < 2^15, Sx <= 5n < 2^18, Sxx <= 25n < 2^20, |Sy'| <= 2n < 2^16, Sy'y' <= 4n < 2^17 and |Sxy'| <= 10n < 2^19:
-- every field fits, and every partial sum is an integer below 2^53 in magnitude, which a DOUBLE adds exactly.
WITH
target AS (
    SELECT customer_key AS item_key, total_ratings AS raters
    FROM dim_customer
    WHERE customer_id = $id
),
target_ratings AS (
    SELECT
        r.movie_key,
        CAST(1 + r.rating * 32768 + r.rating * r.rating * 8589934592 AS DOUBLE) AS x_term,
        CAST(1 + r.rating * 17179869184 AS DOUBLE) AS y_factor
    FROM fact_ratings AS r
    JOIN target AS t ON t.item_key = r.customer_key
),
joined AS (
    SELECT r.customer_key, t.x_term, t.y_factor, CAST(r.rating - 3 AS DOUBLE) AS y
    FROM fact_ratings AS r
    JOIN target_ratings AS t ON t.movie_key = r.movie_key
),
packed_sums AS (
    SELECT
        customer_key AS item_key,
        CAST(sum(x_term) AS BIGINT) AS x_sums,
        CAST(sum(y * (y_factor + y * 131072)) AS BIGINT) AS y_sums
    FROM joined
    GROUP BY customer_key
),
-- y_rest = Sy'y' + Sxy' * 2^17 (the divisions are exact)
unpacked AS (
    SELECT item_key, x_sums, sy, (y_sums - sy) // 131072 AS y_rest
    FROM (SELECT item_key, x_sums, y_sums, ((y_sums + 65536) & 131071) - 65536 AS sy FROM packed_sums)
    WHERE x_sums & 32767 >= $min_common
),
pair_sums AS (
    SELECT
        item_key,
        x_sums & 32767 AS n,
        (x_sums >> 15) & 262143 AS sx,
        x_sums >> 33 AS sxx,
        sy,
        y_rest & 131071 AS syy,
        (y_rest - (y_rest & 131071)) // 131072 AS sxy
    FROM unpacked
),
target_fits AS (
    SELECT CASE WHEN raters < 32768 THEN true ELSE error('the customer has 32,768 ratings or more, beyond the packed sums of similar-customers.sql') END AS ok
    FROM target
),
{{> pearson-neighbours}}
SELECT
    c.customer_id,
    n.n AS common_movies,
    n.pearson,
    n.similarity
FROM neighbours AS n
JOIN dim_customer AS c ON c.customer_key = n.item_key
ORDER BY n.similarity DESC, c.customer_id
LIMIT $limit;
