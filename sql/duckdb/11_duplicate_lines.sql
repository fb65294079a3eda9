-- The (file_id, line_number, reason) of every rating occurrence the duplicate rule dropped. No ORDER BY or semicolon:
-- src/transforms/reject-lines.ts uses it as a subquery and orders it.
SELECT file_id, line_number, 'duplicate' AS reason FROM dup_loser
