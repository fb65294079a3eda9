-- rejects: grain one row per input line that is not in the star schema (and not a header or blank).
-- Key: (source_file, line_number). raw_line is the line as read, decoded as Latin-1 so every byte survives.
CREATE TABLE rejects AS
SELECT
    f.path AS source_file,
    r.line_number,
    r.reason,
    r.raw_line
FROM stg_reject AS r
JOIN stg_file AS f ON f.file_id = r.file_id
ORDER BY source_file, line_number;
