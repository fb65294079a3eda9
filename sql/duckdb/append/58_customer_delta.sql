-- dim_customer (append): the touched customers' stored rows brought up to date, with the grain, key and
-- columns of ../32_dim_customer.sql, after agg_customer_year (shared/period_delta.sql).
-- dim_customer: total_ratings and avg_rating are the roll-up of the customer's agg_customer_year rows (exact
--   integer sums, the same division as a full load). A beaten rating's date never falls (the later date wins,
--   1.1), so the last date is the stored one widened by the added ratings (a new customer has none stored), and
--   so is the first date, except for the customers whose first date a beaten rating moved off
--   (customer_first_scan, staged by the duplicates stage from 14_first_date_moves.sql and 15_first_date_scan.sql:
--   the first date of their stored ratings that did not move, null when none): theirs is that date widened by
--   the added ratings. Keys stay as they are.
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
        least(CASE WHEN e.customer_key IS NOT NULL THEN date_of_key(e.first_date_key) ELSE c.first_rating_date END, date_of_key(n.first_added)) AS first_rating_date,
        greatest(c.last_rating_date, date_of_key(n.last_added)) AS last_rating_date,
        t.total_ratings,
        t.avg_rating
    FROM dim_customer AS c
    JOIN totals AS t ON t.customer_key = c.customer_key
    JOIN added AS n ON n.customer_key = c.customer_key
    LEFT JOIN customer_first_scan AS e ON e.customer_key = c.customer_key
) AS t
WHERE dim_customer.customer_key = t.customer_key;

DROP TABLE customer_first_scan;
