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
-- The correlation is computed in shared/pearson-neighbours.sql (similar-movies.sql computes it the other way round):
-- here the items are customers and their raters movies.
WITH
ratings AS NOT MATERIALIZED (
    SELECT customer_key AS item_key, movie_key AS rater_key, rating
    FROM fact_ratings
),
target AS (
    SELECT customer_key AS item_key, total_ratings AS raters
    FROM dim_customer
    WHERE customer_id = $id
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
