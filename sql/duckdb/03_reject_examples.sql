-- The first rejected rating lines, for the message of a failed quality gate: title rejects are left out, as
-- they do not count toward the reject rate (movie_titles.txt sorts before training_set/).
SELECT f.path, r.line_number, r.reason, r.raw_line
FROM stg_reject AS r
JOIN stg_file AS f ON f.file_id = r.file_id
WHERE r.reason NOT IN ('bad_movie_line', 'duplicate_movie')
ORDER BY f.path, r.line_number
LIMIT 5;
