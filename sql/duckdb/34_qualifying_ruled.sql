-- qualifying_ruled: grain one accepted line of qualifying.txt (stg_qualifying); key line_number. SPEC 1.4's
-- rules decided for each, in order: unknown_movie (movie not in dim_movie), unknown_customer (customer not in
-- dim_customer), duplicate (the pair again: the latest date kept, on equal dates the later line); reason
-- NULL for the kept ones, which 35_fact_qualifying.sql (or append/35_fact_qualifying.sql) makes rows. The
-- lines they reject go to pair_reject. An append runs it over the whole file, against the grown dimensions.
SET disabled_optimizers = 'build_side_probe_side';

CREATE TEMP TABLE qualifying_ruled AS
WITH lines AS (
    SELECT
        CAST(q.movie_customer >> 31 AS INTEGER) AS movie_id,
        CAST(q.movie_customer & 2147483647 AS INTEGER) AS customer_id,
        CAST(q.date_line >> 32 AS INTEGER) AS date_key,
        q.date_line & 4294967295 AS line_number,
        row_number() OVER (PARTITION BY q.movie_customer ORDER BY q.date_line DESC) AS occurrence
    FROM stg_qualifying AS q
)
SELECT
    l.movie_id,
    l.customer_id,
    l.date_key,
    l.line_number,
    m.movie_key,
    c.customer_key,
    CASE
        WHEN m.movie_key IS NULL THEN 'unknown_movie'
        WHEN c.customer_key IS NULL THEN 'unknown_customer'
        WHEN l.occurrence > 1 THEN 'duplicate'
    END AS reason
FROM lines AS l
LEFT JOIN dim_movie AS m ON m.movie_id = l.movie_id
LEFT JOIN dim_customer AS c ON c.customer_id = l.customer_id;

INSERT INTO pair_reject
SELECT (SELECT file_id FROM stg_file WHERE kind = 'qualifying'), line_number, reason
FROM qualifying_ruled
WHERE reason IS NOT NULL;

RESET disabled_optimizers;
