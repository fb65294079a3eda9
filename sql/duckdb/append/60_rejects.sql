-- rejects (append): grain one rejected input line; key (source_file, line_number) (see ../60_rejects.sql).
-- Adds the new files' rejects and the loaded lines whose stored rating a new one beat (stg_stored_reject).
-- A titles file loaded again (its bytes changed) replaces the rejects of the earlier one at its path; a probe
-- or qualifying file read again (stg_file.reread) replaces its own: its syntax rejects came from this read
-- too, and its relational ones were decided again.
DELETE FROM rejects
WHERE source_file IN (SELECT path FROM stg_file WHERE kind = 'titles' OR reread);

INSERT INTO rejects
SELECT f.path AS source_file, r.line_number, r.reason, r.raw_line
FROM stg_reject AS r
JOIN stg_file AS f ON f.file_id = r.file_id
UNION ALL
SELECT o.path, r.line_number, r.reason, r.raw_line
FROM stg_stored_reject AS r
JOIN stg_origin_file AS o ON o.file_id = r.file_id
ORDER BY source_file, line_number;
