-- What would be lost if the target schema were replaced: objects in it that nfx does not create, and objects
-- elsewhere that depend on its tables or views (they would be dropped with the previous load). nfx refuses
-- to publish while there are any. $1 = the target schema's name. One row per object, described by PostgreSQL.
WITH target AS (
    SELECT oid FROM pg_namespace WHERE nspname = $1
),
nfx_relations AS (
    SELECT c.oid
    FROM pg_class AS c
    JOIN target AS t ON c.relnamespace = t.oid
    WHERE c.relname IN ('dim_date', 'dim_movie', 'dim_customer', 'fact_ratings', 'fact_qualifying', 'rejects', 'etl_run', 'source_file',
                        'v_daily_rating_summary', 'v_movie_performance')
),
foreign_relations AS (
    SELECT pg_describe_object('pg_class'::regclass, c.oid, 0) AS object
    FROM pg_class AS c
    JOIN target AS t ON c.relnamespace = t.oid
    WHERE c.oid NOT IN (SELECT oid FROM nfx_relations)
      AND c.relkind NOT IN ('i', 'I', 't')
),
foreign_routines AS (
    SELECT pg_describe_object('pg_proc'::regclass, p.oid, 0)
    FROM pg_proc AS p
    JOIN target AS t ON p.pronamespace = t.oid
),
foreign_types AS (
    -- standalone types only: not a table's row type, not an array type
    SELECT pg_describe_object('pg_type'::regclass, ty.oid, 0)
    FROM pg_type AS ty
    JOIN target AS t ON ty.typnamespace = t.oid
    WHERE ty.typrelid = 0
      AND NOT EXISTS (SELECT 1 FROM pg_type AS elem WHERE elem.typarray = ty.oid)
),
dependents AS (
    SELECT d.classid, d.objid, d.objsubid
    FROM pg_depend AS d
    WHERE d.refclassid = 'pg_class'::regclass
      AND d.refobjid IN (SELECT oid FROM nfx_relations)
      AND d.deptype = 'n'
),
outside_dependents AS (
    -- a view is described by itself, not by its rewrite rule; a foreign key by its constraint
    SELECT DISTINCT CASE WHEN x.classid = 'pg_rewrite'::regclass
                         THEN pg_describe_object('pg_class'::regclass, (SELECT r.ev_class FROM pg_rewrite AS r WHERE r.oid = x.objid), 0)
                         ELSE pg_describe_object(x.classid, x.objid, x.objsubid) END
    FROM dependents AS x
    WHERE CASE x.classid
        WHEN 'pg_rewrite'::regclass THEN (SELECT r.ev_class FROM pg_rewrite AS r WHERE r.oid = x.objid) NOT IN (SELECT oid FROM nfx_relations)
        WHEN 'pg_constraint'::regclass THEN (SELECT k.conrelid FROM pg_constraint AS k WHERE k.oid = x.objid) NOT IN (SELECT oid FROM nfx_relations)
        WHEN 'pg_trigger'::regclass THEN (SELECT g.tgrelid FROM pg_trigger AS g WHERE g.oid = x.objid) NOT IN (SELECT oid FROM nfx_relations)
        WHEN 'pg_class'::regclass THEN x.objid NOT IN (SELECT oid FROM nfx_relations)
        ELSE true
    END
)
SELECT object FROM foreign_relations
UNION ALL SELECT * FROM foreign_routines
UNION ALL SELECT * FROM foreign_types
UNION ALL SELECT * FROM outside_dependents
ORDER BY 1
LIMIT 20;
