-- Leftovers of an export into the same target that did not finish (killed, disconnected): its staging schema,
-- and the previous load a swap had renamed away but not yet dropped. The caller holds the target's advisory
-- lock, so nobody else is writing them. {{staging}} and {{retired}} are quoted identifiers.
DROP SCHEMA IF EXISTS {{staging}} CASCADE;
DROP SCHEMA IF EXISTS {{retired}} CASCADE;
