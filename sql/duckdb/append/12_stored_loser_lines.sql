-- The (file_id, line_number) of every stored rating the append's duplicate rule dropped (stored_loser), in
-- file and line order, for their duplicate rejects; the file ids are those of stg_origin_file.
SELECT file_id, line_number FROM stored_loser ORDER BY file_id, line_number;
