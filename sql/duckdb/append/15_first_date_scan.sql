-- stored_first: grain one customer of {{moves}} (14_first_date_moves.sql: (customer_key, movie_key) pairs as
-- SQL VALUES, made by nfx from integers) with a stored rating that does not move; key customer_key. Its first
-- date among those ratings. A scan of fact_ratings' customer_key, movie_key and date_key (in movie order, so
-- every row group holds every customer): ~1 s at 100M ratings when their blocks are not in memory yet, which
-- is why it runs on a second connection beside the duplicate rule's reading of files.
WITH moves(customer_key, movie_key) AS (VALUES {{moves}})
SELECT f.customer_key, min(f.date_key) AS first_date_key
FROM fact_ratings AS f
JOIN (SELECT DISTINCT customer_key FROM moves) AS c ON c.customer_key = f.customer_key
LEFT JOIN moves AS m ON m.customer_key = f.customer_key AND m.movie_key = f.movie_key
WHERE m.customer_key IS NULL
GROUP BY f.customer_key;
