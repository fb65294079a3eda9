-- dim_customer (append): the touched customers' stored rows brought up to date, with the grain, key and
-- columns of ../32_dim_customer.sql, after agg_customer_year (shared/period_delta.sql).
-- dim_customer: total_ratings and avg_rating are the roll-up of the customer's agg_customer_year rows (exact
--   integer sums, the same division as a full load); first and last dates the stored ones widened by the
--   added ratings (a new customer has none stored), except where a beaten rating moved off the first date
--   (customer_edge): those customers' dates are read again from their fact rows (a scan of fact_ratings'
--   customer_key, ~1 s at 100M when its blocks are not yet in memory). A beaten rating's date never falls
--   (the later date wins, 1.1), so the last date is always the stored one widened, and the first date moves
--   only when the beaten rating sat on it and its new date is later. Keys stay as they are.
-- the touched customers are the small side, on the right of the join with fact_ratings (see ../50_fact_ratings.sql)
SET disabled_optimizers = 'build_side_probe_side';

CREATE TEMP TABLE customer_edge AS
SELECT f.customer_key, min(f.date_key) AS first_date_key, max(f.date_key) AS last_date_key
FROM fact_ratings AS f
JOIN (
    SELECT DISTINCT b.customer_key
    FROM fact_change AS b
    JOIN dim_customer AS c ON c.customer_key = b.customer_key
    WHERE b.date_key > b.old_date_key AND date_of_key(b.old_date_key) = c.first_rating_date
) AS e ON e.customer_key = f.customer_key
GROUP BY f.customer_key;

RESET disabled_optimizers;

UPDATE dim_customer
SET first_rating_date = t.first_rating_date,
    last_rating_date = t.last_rating_date,
    total_ratings = t.total_ratings,
    avg_rating = t.avg_rating
FROM (
    WITH totals AS (
        SELECT a.customer_key, CAST(sum(a.rating_count) AS INTEGER) AS total_ratings, CAST(sum(a.rating_sum) AS DOUBLE) / sum(a.rating_count) AS avg_rating
        FROM agg_customer_year AS a
        WHERE a.customer_key IN (SELECT customer_key FROM agg_scope_customer)
        GROUP BY a.customer_key
    ),
    added AS (
        SELECT customer_key, min(date_key) FILTER (WHERE n > 0) AS first_added, max(date_key) FILTER (WHERE n > 0) AS last_added
        FROM fact_delta
        GROUP BY customer_key
    )
    SELECT
        c.customer_key,
        CASE WHEN e.customer_key IS NOT NULL THEN date_of_key(e.first_date_key) ELSE least(c.first_rating_date, date_of_key(n.first_added)) END AS first_rating_date,
        CASE WHEN e.customer_key IS NOT NULL THEN date_of_key(e.last_date_key) ELSE greatest(c.last_rating_date, date_of_key(n.last_added)) END AS last_rating_date,
        t.total_ratings,
        t.avg_rating
    FROM dim_customer AS c
    JOIN totals AS t ON t.customer_key = c.customer_key
    JOIN added AS n ON n.customer_key = c.customer_key
    LEFT JOIN customer_edge AS e ON e.customer_key = c.customer_key
) AS t
WHERE dim_customer.customer_key = t.customer_key;

DROP TABLE customer_edge;
