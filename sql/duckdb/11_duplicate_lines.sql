-- The (file_id, line_number, reason) of every rating occurrence the duplicate rule dropped, in file and line order.
SELECT file_id, line_number, 'duplicate' AS reason FROM dup_loser ORDER BY file_id, line_number;
