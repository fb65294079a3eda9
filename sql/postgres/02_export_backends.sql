-- Who is in the way of an export into a target: the backend holding the target's advisory lock, and the
-- backends of nfx exports working in the target's staging or retired schema (a killed export's index builds,
-- parallel workers included), this session aside. One row per backend, the lock holder first.
-- $1, $2 = the lock's keys; $3, $4 = the staging and retired schema names; $5 = nfx export's application_name.
WITH lock_holder AS (
    SELECT l.pid
    FROM pg_locks AS l
    WHERE l.locktype = 'advisory'
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND l.classid = $1::int8::oid
      AND l.objid = $2::int8::oid
      AND l.objsubid = 2
      AND l.granted
),
in_target_schemas AS (
    SELECT a.pid
    FROM pg_stat_activity AS a
    WHERE a.datname = current_database()
      AND a.application_name = $5
      AND a.backend_type IN ('client backend', 'parallel worker')
      AND a.state = 'active'
      AND (strpos(a.query, $3) > 0 OR strpos(a.query, $4) > 0)
)
SELECT b.pid,
       b.pid IN (SELECT pid FROM lock_holder) AS holds_lock,
       b.pid IN (SELECT pid FROM in_target_schemas) AS in_target_schemas,
       a.backend_start AS since,
       a.state,
       CASE WHEN a.state = 'active' THEN extract(epoch FROM now() - a.query_start)::float8 END AS statement_seconds,
       CASE WHEN a.state = 'active' THEN a.query END AS statement,
       obj_description((SELECT oid FROM pg_namespace WHERE nspname = $3), 'pg_namespace') AS staging_comment,
       current_setting('server_version_num')::int AS server_version_num,
       current_setting('server_version') AS server_version
FROM (SELECT pid FROM lock_holder UNION SELECT pid FROM in_target_schemas) AS b
LEFT JOIN pg_stat_activity AS a ON a.pid = b.pid
WHERE b.pid <> pg_backend_pid()
ORDER BY holds_lock DESC, b.pid;
