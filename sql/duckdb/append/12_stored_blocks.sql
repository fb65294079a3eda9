-- The movie blocks of one loaded rating file ($1 path, $2 sha256 when loaded), in file order, each with the
-- offset of the next block of the file (NULL for the last: the block runs to the end of the file), and the
-- file's mtime when loaded, for src/transforms/movie-blocks.ts to read the blocks of some movies again.
SELECT movie_id, byte_offset, line_number, lead(byte_offset) OVER (ORDER BY byte_offset) AS next_offset, file_mtime_ms
FROM nfx_movie_block
WHERE path = $1 AND sha256 = $2
ORDER BY byte_offset
