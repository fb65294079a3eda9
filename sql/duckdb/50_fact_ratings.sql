-- fact_ratings: grain one row per (movie, customer) rating kept by the duplicate rule.
-- Keys: rating_key (dense from 1, in (movie_id, customer_id) order); (customer_key, movie_key) unique.
-- rating_key = the ratings of all lower movie ids + the customer's rank within the movie (movie_rank,
-- from the parser or 10_duplicates.sql), so no sort of all ratings is needed; a join with the small
-- dimensions is all that touches every row.
CREATE TEMP TABLE movie_first_key AS
WITH per_movie AS (
    SELECT movie_id, count(*) AS ratings FROM stg_rating GROUP BY movie_id
)
SELECT
    m.movie_id,
    m.movie_key,
    CAST(coalesce(sum(p.ratings) OVER (ORDER BY m.movie_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS BIGINT) AS ratings_before
FROM dim_movie AS m
JOIN per_movie AS p ON p.movie_id = m.movie_id;

CREATE TABLE fact_ratings AS
SELECT
    k.ratings_before + r.movie_rank AS rating_key,
    c.customer_key,
    k.movie_key,
    CAST(year(r.rating_date) * 10000 + month(r.rating_date) * 100 + day(r.rating_date) AS INTEGER) AS date_key,
    CAST(r.rating AS SMALLINT) AS rating
FROM stg_rating AS r
JOIN dim_customer AS c ON c.customer_id = r.customer_id
JOIN movie_first_key AS k ON k.movie_id = r.movie_id;

DROP TABLE movie_first_key;
