-- One VACUUM of the freshly loaded fact table (no dead rows: a single heap pass, no index work). It marks
-- every page all-visible in the visibility map, which the loaders' COPY (without FREEZE when --jobs > 1)
-- cannot do: index-only scans then work from the first query, autovacuum has nothing left to do after the
-- swap, and the foreign keys (27_fact_foreign_keys.sql) can be checked by merging index-only scans instead
-- of, for the customer key, probing a hash of every customer 100M times (at 100M ratings: 11.6 s, not 53.6 s).
-- VACUUM cannot run in a transaction block, so this file holds this one statement.
VACUUM {{schema}}.fact_ratings;
