-- Share of the staging fact_ratings' pages that VACUUM (26_fact_vacuum.sql) marked all-visible; $1 is the
-- staging schema's name. A transaction older than the load, still open elsewhere on the server, keeps rows
-- from being all-visible: the export then checks the foreign keys with the planner's default plans rather
-- than index scans that would have to visit the heap row by row.
SELECT CAST(c.relallvisible AS DOUBLE PRECISION) / greatest(c.relpages, 1) AS all_visible
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relname = 'fact_ratings';
