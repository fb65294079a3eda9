-- The (file_id, line_number) of every occurrence the duplicate rule dropped, in file and line order.
SELECT file_id, line_number FROM dup_loser ORDER BY file_id, line_number;
