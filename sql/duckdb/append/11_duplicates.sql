-- The duplicate rule of an append (SPEC 4): one rating per (movie, customer) across the warehouse and the new
-- files, occurrences ordered by (file path, line) as in a full load. Runs over the competing pairs alone
-- (competing_pair, 12_competing_pairs.sql): those the new files repeat and those the warehouse holds.
-- occurrence: grain one competing occurrence; every accepted new line of a competing pair (stg_suspect_rating
--   of a new file), and the stored rating of each stored_pair, with its file and line when it needs them
--   (stored_origin: the occurrence the rule kept among the loaded files' lines read again).
-- Fills dup_loser (new lines that lose), stored_loser (stored ratings that lose: their file and line become
-- duplicate rejects), fact_update (stored rows that keep their rating_key and take the new date and
-- rating), and replaces the competing pairs' staged ratings by the winners of pairs the warehouse does not hold.
CREATE TEMP TABLE stored_origin AS
SELECT s.movie_id, s.customer_id, o.path, s.line_ref & 4294967295 AS line_number, CAST(s.line_ref >> 32 AS INTEGER) AS file_id
FROM stg_suspect_rating AS s
JOIN stg_origin_file AS o ON o.file_id = s.line_ref >> 32 AND NOT o.is_new
QUALIFY row_number() OVER (PARTITION BY s.movie_id, s.customer_id ORDER BY s.date_key DESC, o.path DESC, s.line_ref & 4294967295 DESC) = 1;

CREATE TEMP TABLE occurrence AS
SELECT s.movie_id, s.customer_id, s.date_key, s.rating, o.path, s.line_ref & 4294967295 AS line_number,
       CAST(s.line_ref >> 32 AS INTEGER) AS file_id, CAST(NULL AS BIGINT) AS rating_key
FROM stg_suspect_rating AS s
JOIN stg_origin_file AS o ON o.file_id = s.line_ref >> 32 AND o.is_new
SEMI JOIN competing_pair AS c ON c.movie_id = s.movie_id AND c.customer_id = s.customer_id
UNION ALL
SELECT p.movie_id, p.customer_id, p.date_key, p.rating, w.path, w.line_number, w.file_id, p.rating_key
FROM stored_pair AS p
LEFT JOIN stored_origin AS w ON w.movie_id = p.movie_id AND w.customer_id = p.customer_id AND p.needs_origin;

-- a stored rating without its file and line is later than every new occurrence of its pair: first on date alone
CREATE TEMP TABLE ranked AS
SELECT
    *,
    row_number() OVER (PARTITION BY movie_id, customer_id ORDER BY date_key DESC, path DESC NULLS FIRST, line_number DESC) AS place,
    bool_or(rating_key IS NOT NULL) OVER (PARTITION BY movie_id, customer_id) AS pair_stored
FROM occurrence;

INSERT INTO dup_loser
SELECT file_id, line_number FROM ranked WHERE place > 1 AND rating_key IS NULL;

CREATE TEMP TABLE stored_loser AS
SELECT file_id, line_number, rating_key FROM ranked WHERE place > 1 AND rating_key IS NOT NULL;

CREATE TEMP TABLE fact_update AS
SELECT l.rating_key, w.date_key, w.rating
FROM ranked AS w
JOIN ranked AS l ON l.movie_id = w.movie_id AND l.customer_id = w.customer_id
WHERE w.place = 1 AND w.rating_key IS NULL AND l.rating_key IS NOT NULL;

DELETE FROM staging.stg_rating_packed
WHERE movie_customer IN (SELECT (CAST(movie_id AS BIGINT) << 31) | customer_id FROM competing_pair);

INSERT INTO staging.stg_rating_packed
SELECT (CAST(movie_id AS BIGINT) << 31) | customer_id, (CAST(date_key AS BIGINT) << 4) | rating
FROM ranked
WHERE place = 1 AND NOT pair_stored;

DROP TABLE ranked;
DROP TABLE occurrence;
DROP TABLE stored_origin;
DROP TABLE competing_pair;
