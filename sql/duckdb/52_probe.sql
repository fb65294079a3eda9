-- The probe rules of SPEC 1.4, after fact_ratings has flagged is_probe (50_fact_ratings.sql): fills pair_reject
-- (grain one row per rejected probe line; key (file_id, line_number)). In order: probe_not_rated when the pair
-- is not a row of fact_ratings (every occurrence of it), duplicate for each later occurrence of a rated pair
-- (the first line is kept). The rated pairs are the fact rows flagged is_probe, found by the flag, not by a
-- second join over every rating.
SET disabled_optimizers = 'build_side_probe_side';

INSERT INTO pair_reject
WITH rated AS (
    SELECT (CAST(m.movie_id AS BIGINT) << 31) | c.customer_id AS movie_customer
    FROM fact_ratings AS f
    JOIN dim_movie AS m ON m.movie_key = f.movie_key
    JOIN dim_customer AS c ON c.customer_key = f.customer_key
    WHERE f.is_probe
),
occurrences AS (
    SELECT
        movie_customer,
        date_line & 4294967295 AS line_number,
        row_number() OVER (PARTITION BY movie_customer ORDER BY date_line) AS occurrence
    FROM stg_probe
)
SELECT
    (SELECT file_id FROM stg_file WHERE kind = 'probe'),
    o.line_number,
    CASE WHEN r.movie_customer IS NULL THEN 'probe_not_rated' ELSE 'duplicate' END
FROM occurrences AS o
LEFT JOIN rated AS r ON r.movie_customer = o.movie_customer
WHERE r.movie_customer IS NULL OR o.occurrence > 1;

RESET disabled_optimizers;
