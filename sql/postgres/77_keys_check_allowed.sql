-- Whether the new fact rows' foreign keys may be checked as one set (77_new_facts_keys_checked.sql): one row,
-- superuser (only a superuser may set session_replication_role on every server version nfx supports) and
-- own_triggers (fact_ratings has a trigger someone added, which the set check would skip: then it may not).
-- $1: the target schema's name.
SELECT
    current_setting('is_superuser') = 'on' AS superuser,
    EXISTS (
        SELECT 1
        FROM pg_trigger AS t
        JOIN pg_class AS c ON c.oid = t.tgrelid
        JOIN pg_namespace AS n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relname = 'fact_ratings' AND NOT t.tgisinternal
    ) AS own_triggers;
