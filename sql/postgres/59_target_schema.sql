-- The target schema as it stands before an export replaces it: its comment (nfx export writes one, so it
-- tells whether nfx created the schema), its owner, and how many objects it holds (tables, views, sequences,
-- routines, standalone types). $1 = the target schema's name. No row: the schema does not exist.
SELECT obj_description(n.oid, 'pg_namespace') AS comment,
       pg_get_userbyid(n.nspowner) AS owner,
       (SELECT count(*) FROM pg_class AS c WHERE c.relnamespace = n.oid)
     + (SELECT count(*) FROM pg_proc AS p WHERE p.pronamespace = n.oid)
     + (SELECT count(*) FROM pg_type AS ty
        WHERE ty.typnamespace = n.oid AND ty.typrelid = 0
          AND NOT EXISTS (SELECT 1 FROM pg_type AS elem WHERE elem.typarray = ty.oid)) AS objects
FROM pg_namespace AS n
WHERE n.nspname = $1;
