-- The first rejected lines, for the message of a failed quality gate.
SELECT f.path, r.line_number, r.reason, r.raw_line
FROM stg_reject AS r
JOIN stg_file AS f ON f.file_id = r.file_id
ORDER BY f.path, r.line_number
LIMIT 5;
