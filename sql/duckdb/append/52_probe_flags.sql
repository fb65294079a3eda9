-- is_probe (append): the probe file's pairs (stg_probe: a new probe.txt, or the loaded one read again) that
-- are rows of the grown fact_ratings, flagged; ../52_probe.sql then decides the file's probe_not_rated and
-- duplicate lines by the flags, as a full load does. A flag is never cleared: fact rows are never removed,
-- and a beaten stored rating keeps its pair. probe_flagged: grain one row a flag was set on; key rating_key.
SET disabled_optimizers = 'build_side_probe_side';

INSERT INTO probe_flagged
WITH pairs AS (
    SELECT m.movie_key, c.customer_key
    FROM (SELECT DISTINCT movie_customer FROM stg_probe) AS p
    JOIN dim_movie AS m ON m.movie_id = CAST(p.movie_customer >> 31 AS INTEGER)
    JOIN dim_customer AS c ON c.customer_id = CAST(p.movie_customer & 2147483647 AS INTEGER)
)
SELECT f.rating_key
FROM fact_ratings AS f
JOIN pairs AS p ON p.movie_key = f.movie_key AND p.customer_key = f.customer_key
WHERE NOT f.is_probe;

UPDATE fact_ratings
SET is_probe = TRUE
WHERE rating_key IN (SELECT rating_key FROM probe_flagged);

RESET disabled_optimizers;
