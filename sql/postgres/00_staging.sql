-- A fresh staging schema for this export. Leftovers of an export into the same target that did not finish
-- (killed, disconnected) are dropped first: the caller holds the target's advisory lock, so nobody else is
-- writing them. {{staging}} and {{retired}} are quoted identifiers, {{comment}} a quoted literal.
DROP SCHEMA IF EXISTS {{staging}} CASCADE;
DROP SCHEMA IF EXISTS {{retired}} CASCADE;
CREATE SCHEMA {{staging}};
COMMENT ON SCHEMA {{staging}} IS {{comment}};
