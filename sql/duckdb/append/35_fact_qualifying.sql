-- fact_qualifying (append): grain one row per kept qualifying pair; keys qualifying_key, (customer_key,
-- movie_key) unique (see ../35_fact_qualifying.sql). The qualifying file's lines, new or loaded before and
-- read again, were decided against the grown dimensions by ../34_qualifying_ruled.sql (which this drops): the
-- kept pairs the table lacks (a new file's, or an earlier unknown_movie / unknown_customer pair whose member
-- arrived) get the next keys in (movie_id, customer_id) order, movie_customer's (qualifying_new, kept for the
-- change log). A kept pair stays as it was: its lines, and so the rule's choice among them, have not changed.
INSERT INTO qualifying_new
SELECT
    (SELECT coalesce(max(qualifying_key), 0) FROM fact_qualifying) + row_number() OVER (ORDER BY q.movie_customer) AS qualifying_key,
    q.customer_key,
    q.movie_key,
    CAST(q.date_line >> 32 AS INTEGER) AS date_key
FROM qualifying_ruled AS q
ANTI JOIN fact_qualifying AS f ON f.movie_key = q.movie_key AND f.customer_key = q.customer_key
WHERE q.reason IS NULL
ORDER BY qualifying_key;

INSERT INTO fact_qualifying
SELECT * FROM qualifying_new ORDER BY qualifying_key;

DROP TABLE qualifying_ruled;
