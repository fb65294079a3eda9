-- Pages of the staging fact_ratings, and how many of them VACUUM (26_fact_vacuum.sql) marked all-visible; $1 is
-- the staging schema's name. A transaction older than the load, still open elsewhere in this database, keeps
-- the rows from being all-visible: the export then checks the foreign keys with the planner's default plans
-- rather than index scans that would have to visit the heap row by row. Pages the loaders' COPY added ahead
-- of need and left empty are never marked all-visible, so a few may be missing even after a good VACUUM.
SELECT c.relpages AS pages, c.relallvisible AS all_visible
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relname = 'fact_ratings';
