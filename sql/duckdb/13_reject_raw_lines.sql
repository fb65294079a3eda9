-- The rejects a SQL rule decided (the placeholder below: a query of (file_id, line_number, reason), 11_duplicate_lines.sql or
-- 53_pair_reject_lines.sql, append/12_stored_loser_lines.sql), each with its line as read again from its file
-- (reject_raw), into stg_reject or an append's stg_stored_reject ({{into}}; grain one row per rejected line;
-- key (file_id, line_number)). reject_raw is emptied for the next rule.
INSERT INTO {{into}}
SELECT q.file_id, q.line_number, q.reason, r.raw_line
FROM ({{rejected}}) AS q
JOIN reject_raw AS r ON r.file_id = q.file_id AND r.line_number = q.line_number;

DELETE FROM reject_raw;
