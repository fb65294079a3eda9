-- nfx_movie_block: grain one row per movie header line of a loaded rating file; key (path, byte_offset).
-- Internal: not part of the star schema (SPEC 2), never exported. A block runs from its header line to the
-- next header of the same file (or the end of the file); line_number is the header's line. An append whose
-- new rating ties or beats a stored one needs the stored rating's file and line for its duplicate reject, and
-- reads only the blocks of those movies again, at their offsets, instead of every loaded file
-- (src/transforms/movie-blocks.ts). sha256 says which bytes the offsets are of; file_mtime_ms is the file's
-- modification time when it was loaded (NULL if unknown): an append trusts a file of the same size and mtime to
-- hold those bytes, as rsync and make do, and hashes any other whole. A full transform creates it;
-- an append adds its new rating files' blocks, and creates it in a warehouse built before it existed (whose
-- files have no blocks: they are read whole).
CREATE TABLE IF NOT EXISTS nfx_movie_block (
    path        VARCHAR NOT NULL,
    sha256      VARCHAR NOT NULL,
    file_mtime_ms DOUBLE,
    movie_id    INTEGER NOT NULL,
    byte_offset BIGINT NOT NULL,
    line_number BIGINT NOT NULL
);

INSERT INTO nfx_movie_block
SELECT f.path, f.sha256, b.mtime_ms, b.movie_id, b.byte_offset, b.line_number
FROM stg_movie_block AS b
JOIN stg_file AS f ON f.file_id = b.file_id AND f.kind = 'ratings'
ORDER BY f.path, b.byte_offset;
