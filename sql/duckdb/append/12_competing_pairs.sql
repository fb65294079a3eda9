-- competing_pair: grain one (movie, customer) with more than one occurrence among the warehouse and the new
-- files; key (movie_id, customer_id). Either the warehouse holds it (stored_pair, 10_collisions.sql), or the
-- new files repeat it: among the movies where the parse threads saw a pair twice (stg_suspect_movie), the
-- staged pairs that occur more than once. Only these pairs' occurrences compete under the duplicate rule
-- (11_duplicates.sql); every other new pair has its one staged row, which stays as it is.
CREATE TEMP TABLE competing_pair AS
SELECT movie_id, customer_id FROM stored_pair
UNION
SELECT CAST(movie_customer >> 31 AS INTEGER) AS movie_id, CAST(movie_customer & 2147483647 AS INTEGER) AS customer_id
FROM staging.stg_rating_packed
WHERE movie_customer >> 31 IN (SELECT movie_id FROM stg_suspect_movie)
GROUP BY movie_customer
HAVING count(*) > 1;
