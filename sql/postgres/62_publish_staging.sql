-- The swap, step 2: the staging schema takes the target's name.
ALTER SCHEMA {{staging}} RENAME TO {{target}};
COMMENT ON SCHEMA {{target}} IS {{comment}};
