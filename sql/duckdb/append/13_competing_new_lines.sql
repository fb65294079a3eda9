-- stg_suspect_rating (../01_staging.sql; grain one accepted rating line of a competing pair, key line_ref):
-- the new files' lines of the competing pairs (12_competing_pairs.sql), from the lines a small append staged
-- as it read them (02_new_lines.sql), which are then dropped. The loaded files' lines of the stored pairs
-- are staged after these (src/transforms/stages/duplicates-append.ts).
INSERT INTO stg_suspect_rating
SELECT l.line_ref, l.movie_id, l.customer_id, l.date_key, l.rating
FROM stg_new_line AS l
SEMI JOIN competing_pair AS p ON p.movie_id = l.movie_id AND p.customer_id = l.customer_id;

DROP TABLE stg_new_line;
