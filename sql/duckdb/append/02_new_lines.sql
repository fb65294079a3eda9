-- stg_new_line: grain one accepted rating line of a small append's new files (src/transforms/stages/open-build.ts);
-- key line_ref (file_id * 2^32 + line_number, as in stg_suspect_rating of ../01_staging.sql). Staged by the
-- parse stage beside the packed ratings, so that 13_competing_new_lines.sql stages the competing pairs' new
-- lines without reading the new files again. Large appends do not stage it (they read those lines again).
CREATE TEMP TABLE stg_new_line (
    line_ref    BIGINT NOT NULL,
    movie_id    INTEGER NOT NULL,
    customer_id INTEGER NOT NULL,
    date_key    INTEGER NOT NULL,
    rating      TINYINT NOT NULL
);
