-- The (file_id, line_number, reason) of every probe and qualifying line a relational rule rejected, in file
-- and line order (their raw lines are read again from the files).
SELECT file_id, line_number, reason FROM pair_reject ORDER BY file_id, line_number;
