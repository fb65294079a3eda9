-- The foreign keys of fact_ratings' new rows (76_new_facts.sql), checked once for the whole set instead of by
-- the three foreign-key triggers, which run a lookup per row and key: half of the insert's time at 100M + 1M
-- (8.1 of 16.4 s, BENCHMARKS.md). Only where 77_keys_check_allowed.sql allows it. The same guarantee:
-- 1. The three dimensions are locked IN SHARE MODE until the commit, so no other transaction can delete or
--    change a key the new rows refer to (the triggers lock each referenced row FOR KEY SHARE to that end);
--    readers are not blocked, and this transaction already wrote the dimensions.
-- 2. Every new row's keys are in the dimensions, or this fails as the trigger would (SQLSTATE 23503,
--    foreign_key_violation, naming the constraint), and the whole export rolls back.
-- 3. session_replication_role = replica turns the triggers off for this transaction until the caller sets it
--    back to origin right after the insert. The constraints stay in the catalog, validated; primary and
--    unique keys are indexes and are checked as always.
LOCK TABLE {{schema}}.dim_customer, {{schema}}.dim_movie, {{schema}}.dim_date IN SHARE MODE;

DO $check$
DECLARE
    violated text;
BEGIN
    SELECT constraint_name INTO violated
    FROM (
        SELECT 'fact_ratings_customer_key_fkey' AS constraint_name
        WHERE EXISTS (
            SELECT 1 FROM new_fact_ratings AS n
            WHERE n.rating_key > {{stored_max}} AND NOT EXISTS (SELECT 1 FROM {{schema}}.dim_customer AS d WHERE d.customer_key = n.customer_key)
        )
        UNION ALL
        SELECT 'fact_ratings_movie_key_fkey'
        WHERE EXISTS (
            SELECT 1 FROM new_fact_ratings AS n
            WHERE n.rating_key > {{stored_max}} AND NOT EXISTS (SELECT 1 FROM {{schema}}.dim_movie AS d WHERE d.movie_key = n.movie_key)
        )
        UNION ALL
        SELECT 'fact_ratings_date_key_fkey'
        WHERE EXISTS (
            SELECT 1 FROM new_fact_ratings AS n
            WHERE n.rating_key > {{stored_max}} AND NOT EXISTS (SELECT 1 FROM {{schema}}.dim_date AS d WHERE d.date_key = n.date_key)
        )
    ) AS v
    LIMIT 1;
    IF violated IS NOT NULL THEN
        RAISE EXCEPTION 'insert or update on table "fact_ratings" violates foreign key constraint "%"', violated
            USING ERRCODE = 'foreign_key_violation';
    END IF;
END
$check$;

SET LOCAL session_replication_role = replica;
