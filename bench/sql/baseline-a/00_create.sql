-- Baseline A: the route a user with only DuckDB writes. Staging tables live in memory (TEMP).
-- rating_line: grain one row per line of a rating file; key (file_id, line_no).
CREATE TEMP TABLE rating_line (
    file_id SMALLINT NOT NULL,
    line_no BIGINT NOT NULL,
    line    VARCHAR
);
