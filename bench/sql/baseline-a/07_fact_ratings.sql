-- Baseline A, star step 5.
-- fact_ratings: grain one row per (movie, customer) rating; keys rating_key (dense, in
-- (movie_id, customer_id) order), (customer_key, movie_key) unique.
CREATE TABLE fact_ratings AS
SELECT
    row_number() OVER (ORDER BY r.movie_id, r.customer_id) AS rating_key,
    c.customer_key,
    m.movie_key,
    CAST(year(r.rating_date) * 10000 + month(r.rating_date) * 100 + day(r.rating_date) AS INTEGER) AS date_key,
    CAST(r.rating AS SMALLINT) AS rating
FROM rating_kept AS r
JOIN dim_customer AS c ON c.customer_id = r.customer_id
JOIN dim_movie AS m ON m.movie_id = r.movie_id;

DROP TABLE rating_kept;
