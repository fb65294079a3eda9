-- The (file_id, line_number, reason) of every stored rating the append's duplicate rule dropped (stored_loser),
-- for their duplicate rejects; the file ids are those of stg_origin_file. No ORDER BY or semicolon:
-- src/transforms/reject-lines.ts uses it as a subquery and orders it.
SELECT file_id, line_number, 'duplicate' AS reason FROM stored_loser
