-- Grain: one row of data-quality counts over the whole warehouse.
-- Columns: rejects (all reasons), duplicates_dropped (reason duplicate), movies_without_title, probe_ratings
-- (fact rows flagged is_probe), qualifying_pairs (rows of fact_qualifying).
-- The referential and range checks are in integrity.sql, which also runs on PostgreSQL.
SELECT
    (SELECT count(*) FROM rejects) AS rejects,
    (SELECT count(*) FROM rejects WHERE reason = 'duplicate') AS duplicates_dropped,
    (SELECT count(*) FROM dim_movie WHERE title IS NULL) AS movies_without_title,
    (SELECT count(*) FROM fact_ratings WHERE is_probe) AS probe_ratings,
    (SELECT count(*) FROM fact_qualifying) AS qualifying_pairs;
