-- etl_run: grain one row per successful transform; key run_id. mode: 'full' (this file's build) or 'append'
-- (nfx transform --append, sql/duckdb/append/), which adds rows here and to source_file.
-- source_file: grain one row per input file of a run; key (run_id, path).
-- Line accounting per file: headers + accepted + rejected = lines - blank_lines. 72_source_file_insert.sql
-- adds the rows of a run. kind: ratings, titles, probe or qualifying (SPEC 2).
CREATE TABLE etl_run (
    run_id          VARCHAR PRIMARY KEY,
    started_at      TIMESTAMPTZ NOT NULL,
    finished_at     TIMESTAMPTZ NOT NULL,
    nfx_version     VARCHAR NOT NULL,
    status          VARCHAR NOT NULL,
    mode            VARCHAR NOT NULL,
    data_dir        VARCHAR NOT NULL,
    rating_files    INTEGER NOT NULL,
    lines_read      BIGINT NOT NULL,
    ratings_loaded  BIGINT NOT NULL,
    rejected        BIGINT NOT NULL,
    duplicates      BIGINT NOT NULL,
    movies          INTEGER NOT NULL,
    customers       INTEGER NOT NULL,
    seconds         DOUBLE NOT NULL
);

CREATE TABLE source_file (
    run_id      VARCHAR NOT NULL,
    path        VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,
    bytes       BIGINT NOT NULL,
    sha256      VARCHAR NOT NULL,
    lines       BIGINT NOT NULL,
    blank_lines BIGINT NOT NULL,
    headers     BIGINT NOT NULL,
    accepted    BIGINT NOT NULL,
    rejected    BIGINT NOT NULL
);
