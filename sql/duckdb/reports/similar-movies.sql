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
-- The correlation is computed in shared/pearson-neighbours.sql (similar-customers.sql computes it the other way round):
-- here the items are movies and their raters customers.
WITH
ratings AS NOT MATERIALIZED (
    SELECT movie_key AS item_key, customer_key AS rater_key, rating
    FROM fact_ratings
),
target AS (
    SELECT m.movie_key AS item_key, a.rating_count AS raters
    FROM dim_movie AS m
    JOIN agg_movie AS a ON a.movie_key = m.movie_key
    WHERE m.movie_id = $id
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
