-- The (file_id, line_number, reason) of every probe and qualifying line a relational rule rejected (their raw
-- lines are read again from the files). No ORDER BY or semicolon: src/transforms/reject-lines.ts uses it as a
-- subquery and orders it.
SELECT file_id, line_number, reason FROM pair_reject
