-- fact_ratings: grain one row per (movie, customer) rating kept by the duplicate rule.
-- Keys: rating_key (dense from 1, in (movie_id, customer_id) order); (customer_key, movie_key) unique.
-- Both surrogate keys follow their natural ids, so (movie_key, customer_key) order is (movie_id, customer_id) order.
CREATE TABLE fact_ratings AS
WITH keyed AS (
    SELECT
        c.customer_key,
        m.movie_key,
        CAST(year(r.rating_date) * 10000 + month(r.rating_date) * 100 + day(r.rating_date) AS INTEGER) AS date_key,
        CAST(r.rating AS SMALLINT) AS rating
    FROM rating_kept AS r
    JOIN dim_customer AS c ON c.customer_id = r.customer_id
    JOIN dim_movie AS m ON m.movie_id = r.movie_id
)
SELECT
    CAST(row_number() OVER (ORDER BY movie_key, customer_key) AS BIGINT) AS rating_key,
    customer_key,
    movie_key,
    date_key,
    rating
FROM keyed
ORDER BY rating_key;
