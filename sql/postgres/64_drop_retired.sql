-- After the swap committed: the previous load goes, in a transaction of its own, so that a long query still
-- reading the previous load delays only this drop, never the swap. It waits at most {{lock_timeout}} for such
-- readers; if they take longer, the previous load stays as a retired schema and the next export drops it.
BEGIN;
SET LOCAL lock_timeout = {{lock_timeout}};
DROP SCHEMA IF EXISTS {{retired}} CASCADE;
COMMIT;
