-- The swap, step 3: privileges granted on the previous load, as GRANT statements to repeat on the new one, so that readers
-- (BI roles, notebooks) keep their access across exports. $1 = the previous load's schema (already renamed
-- away), $2 = the new load's schema (renamed to the target). Grants to the owner itself are implicit.
WITH previous AS (
    SELECT oid, nspacl, nspowner FROM pg_namespace WHERE nspname = $1
),
schema_grants AS (
    SELECT a.grantee, a.privilege_type, a.is_grantable, 'SCHEMA ' || quote_ident($2) AS target
    FROM previous AS p, aclexplode(p.nspacl) AS a
    WHERE a.grantee <> p.nspowner
),
relation_grants AS (
    SELECT a.grantee, a.privilege_type, a.is_grantable, 'TABLE ' || quote_ident($2) || '.' || quote_ident(c.relname)
    FROM previous AS p
    JOIN pg_class AS c ON c.relnamespace = p.oid AND c.relkind IN ('r', 'v')
    CROSS JOIN aclexplode(c.relacl) AS a
    WHERE a.grantee <> c.relowner
)
SELECT format('GRANT %s ON %s TO %s%s', g.privilege_type, g.target,
              CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END,
              CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END) AS statement
FROM (SELECT * FROM schema_grants UNION ALL SELECT * FROM relation_grants) AS g
LEFT JOIN pg_roles AS r ON r.oid = g.grantee
ORDER BY 1;
