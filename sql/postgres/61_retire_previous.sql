-- The swap, step 1 (when a previous load exists): rename it away. The swap (61-63) is one short transaction;
-- renaming a schema touches only the catalog, so readers of the target see the previous complete load until
-- the commit and the new complete load after it.
ALTER SCHEMA {{target}} RENAME TO {{retired}};
