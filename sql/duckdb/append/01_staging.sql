-- Staging of an append, beside the staging of every transform (../01_staging.sql); all TEMP.
-- stg_origin_file:  grain one rating file whose lines the duplicate rule ranks; key file_id: the new files
--                   at their positions in stg_file, then the loaded files read again for the line of a
--                   stored rating (is_new false). The rule orders occurrences by (path, line_number).
-- stg_stored_reject: grain one line of a loaded file whose stored rating a new one beat; key (file_id, line_number).
CREATE TEMP TABLE stg_origin_file (
    file_id INTEGER NOT NULL,
    path    VARCHAR NOT NULL,
    is_new  BOOLEAN NOT NULL
);

CREATE TEMP TABLE stg_stored_reject (
    file_id     INTEGER NOT NULL,
    line_number BIGINT NOT NULL,
    reason      VARCHAR NOT NULL,
    raw_line    VARCHAR NOT NULL
);
