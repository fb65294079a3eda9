-- Baseline A, parse step 1 (run once per rating file, in path order).
-- rating_line: grain one row per line of a rating file; key line_seq (file number << 32 | line number).
-- read_csv with no delimiter, quote or escape that occurs in the data reads each line as one VARCHAR;
-- row_number() OVER () over a single read_csv numbers the lines in file order (preserve_insertion_order).
INSERT INTO rating_line
SELECT
    (CAST({{file_id}} AS BIGINT) << 32) | row_number() OVER () AS line_seq,
    line
FROM read_csv(
    {{path}},
    columns = {'line': 'VARCHAR'},
    header = false, delim = '\x01', quote = '', escape = '', auto_detect = false
);
