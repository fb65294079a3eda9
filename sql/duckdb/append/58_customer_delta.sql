-- agg_customer_year and dim_customer (append): the touched customers' stored rows plus fact_delta
-- (54_agg_scope.sql), with the grains, keys and columns of ../58_agg_customer_year.sql and ../32_dim_customer.sql.
-- customer_year_total: grain one touched (customer, year): stored count and sum plus the delta; a year whose
--   ratings all moved elsewhere adds up to none and loses its row.
-- dim_customer: total_ratings and avg_rating are the roll-up of the customer's agg_customer_year rows (exact
--   integer sums, the same division as a full load); first and last dates the stored ones widened by the
--   added ratings (a new customer has none stored), except where a removed rating sat on one of them
--   (customer_edge): those customers' dates are read again from their fact rows. Keys stay as they are.
CREATE TEMP TABLE customer_year_total AS
WITH delta AS (
    SELECT customer_key, CAST(date_key // 10000 AS SMALLINT) AS year, sum(n) AS rating_count, sum(n * rating) AS rating_sum
    FROM fact_delta
    GROUP BY customer_key, date_key // 10000
)
SELECT
    d.customer_key,
    d.year,
    CAST(coalesce(a.rating_count, 0) + d.rating_count AS BIGINT) AS rating_count,
    CAST(coalesce(a.rating_sum, 0) + d.rating_sum AS BIGINT) AS rating_sum
FROM delta AS d
LEFT JOIN agg_customer_year AS a ON a.customer_key = d.customer_key AND a.year = d.year;

DELETE FROM agg_customer_year USING customer_year_total AS t
WHERE agg_customer_year.customer_key = t.customer_key AND agg_customer_year.year = t.year;

INSERT INTO agg_customer_year
SELECT customer_key, year, rating_count, rating_sum, CAST(rating_sum AS DOUBLE) / rating_count AS avg_rating
FROM customer_year_total
WHERE rating_count > 0
ORDER BY customer_key, year;

DROP TABLE customer_year_total;

-- the touched customers are the small side, on the right of the join with fact_ratings (see ../50_fact_ratings.sql)
SET disabled_optimizers = 'build_side_probe_side';

CREATE TEMP TABLE customer_edge AS
SELECT f.customer_key, min(f.date_key) AS first_date_key, max(f.date_key) AS last_date_key
FROM fact_ratings AS f
JOIN (
    SELECT DISTINCT d.customer_key
    FROM fact_delta AS d
    JOIN dim_customer AS c ON c.customer_key = d.customer_key
    WHERE d.n < 0 AND date_of_key(d.date_key) IN (c.first_rating_date, c.last_rating_date)
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
