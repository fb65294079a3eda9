-- The largest rating_key of {{schema}}.fact_ratings (0 when empty): one row, one column, from the primary key.
-- An incremental export reads it in its transaction before the apply: the warehouse's fact rows above it are
-- new to the target (71_change_scope.sql, 72_incremental_apply.sql).
SELECT coalesce(max(rating_key), 0) AS max_key FROM {{schema}}.fact_ratings;
