-- Baseline A: the route a user with only DuckDB writes. Staging tables live in memory (TEMP).
-- rating_line: grain one row per line of a rating file; key line_seq = file number << 32 | line number,
-- so one integer orders every line by file, then by line.
CREATE TEMP TABLE rating_line (
    line_seq BIGINT NOT NULL,
    line     VARCHAR
);
