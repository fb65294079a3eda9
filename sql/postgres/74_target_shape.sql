-- The shape of an export's target schema, for the incremental export to tell whether it is still what nfx
-- created (src/export/tables.ts): grain one column of a table or view in schema $1 (a relation without
-- columns: one row with NULLs); key (relation, position). has_primary_key: the table has its primary key,
-- which the apply's upserts need.
SELECT c.relname AS relation,
       c.relkind::TEXT AS kind,
       a.attname AS column_name,
       format_type(a.atttypid, a.atttypmod) AS column_type,
       a.attnum AS position,
       EXISTS (SELECT 1 FROM pg_constraint AS k WHERE k.conrelid = c.oid AND k.contype = 'p') AS has_primary_key
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
ORDER BY c.relname, a.attnum;
