-- After the swap committed: the previous load goes. Its own transaction, so that a long query still reading
-- the previous load delays only this drop, never the swap. If it is interrupted, the next export drops it.
DROP SCHEMA IF EXISTS {{retired}} CASCADE;
