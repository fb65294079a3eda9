-- first_date_move: grain one stored rating that a new one with a later date beats, of a customer whose first
-- date one of those sat on; key (customer_key, movie_key). A strictly later date wins whatever the order (1.1),
-- so these ratings move later for sure, and only such a move can make a customer's first date move: the date
-- of a rating beaten on an equal date stays, and a last date only widens. Read after 10_collisions.sql (the
-- warehouse's dim_customer: the customers are stored ones); 15_first_date_scan.sql finds, for each of these
-- customers, the first date of the stored ratings that do not move (src/transforms/stages/duplicates-append.ts).
WITH moving AS (
    SELECT customer_key, movie_key, date_key FROM stored_pair WHERE latest_new_date_key > date_key
)
SELECT customer_key, movie_key
FROM moving
WHERE customer_key IN (
    SELECT v.customer_key
    FROM moving AS v
    JOIN dim_customer AS c ON c.customer_key = v.customer_key
    WHERE date_of_key(v.date_key) = c.first_rating_date
)
ORDER BY customer_key, movie_key;
