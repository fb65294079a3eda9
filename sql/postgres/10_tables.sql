-- The dimensions and the audit tables of the star schema (SPEC section 2), created bare in the staging
-- schema {{schema}}: primary keys, unique keys, foreign keys and indexes are built after the data is in
-- (sql/postgres/2x), several times faster than maintaining them row by row. NOT NULL and CHECK are row-local
-- and cost nothing measurable during COPY, so they are declared here. Column order = src/export/tables.ts.

-- dim_date: grain one row per calendar day; key date_key (YYYYMMDD).
CREATE TABLE {{schema}}.dim_date (
    date_key      INTEGER NOT NULL,
    date_actual   DATE NOT NULL,
    year          SMALLINT NOT NULL,
    quarter       SMALLINT NOT NULL,
    month         SMALLINT NOT NULL,
    month_name    TEXT NOT NULL,
    day           SMALLINT NOT NULL,
    day_of_week   SMALLINT NOT NULL,
    day_name      TEXT NOT NULL,
    week_of_year  SMALLINT NOT NULL,
    is_weekend    BOOLEAN NOT NULL
);

-- dim_movie: grain one row per movie (rated or titled); key movie_key; movie_id unique.
CREATE TABLE {{schema}}.dim_movie (
    movie_key     INTEGER NOT NULL,
    movie_id      INTEGER NOT NULL,
    title         TEXT,
    release_year  SMALLINT
);

-- dim_customer: grain one row per customer with a kept rating; key customer_key; customer_id unique.
CREATE TABLE {{schema}}.dim_customer (
    customer_key       INTEGER NOT NULL,
    customer_id        INTEGER NOT NULL,
    first_rating_date  DATE NOT NULL,
    last_rating_date   DATE NOT NULL,
    total_ratings      INTEGER NOT NULL,
    avg_rating         DOUBLE PRECISION NOT NULL
);

-- fact_qualifying: grain one row per kept (movie, customer) pair of qualifying.txt; key qualifying_key;
-- (customer_key, movie_key) unique; foreign keys to the three dimensions (29_fact_qualifying_keys.sql).
CREATE TABLE {{schema}}.fact_qualifying (
    qualifying_key  BIGINT NOT NULL,
    customer_key    INTEGER NOT NULL,
    movie_key       INTEGER NOT NULL,
    date_key        INTEGER NOT NULL
);

-- rejects: grain one row per input line not in the star schema; key (source_file, line_number).
CREATE TABLE {{schema}}.rejects (
    source_file  TEXT NOT NULL,
    line_number  BIGINT NOT NULL,
    reason       TEXT NOT NULL,
    raw_line     TEXT NOT NULL
);

-- etl_run: grain one row per transform run that built the warehouse; key run_id.
CREATE TABLE {{schema}}.etl_run (
    run_id          TEXT NOT NULL,
    started_at      TIMESTAMPTZ NOT NULL,
    finished_at     TIMESTAMPTZ NOT NULL,
    nfx_version     TEXT NOT NULL,
    status          TEXT NOT NULL,
    mode            TEXT NOT NULL,
    data_dir        TEXT NOT NULL,
    rating_files    INTEGER NOT NULL,
    lines_read      BIGINT NOT NULL,
    ratings_loaded  BIGINT NOT NULL,
    rejected        BIGINT NOT NULL,
    duplicates      BIGINT NOT NULL,
    movies          INTEGER NOT NULL,
    customers       INTEGER NOT NULL,
    seconds         DOUBLE PRECISION NOT NULL
);

-- source_file: grain one row per input file of a run; key (run_id, path).
CREATE TABLE {{schema}}.source_file (
    run_id       TEXT NOT NULL,
    path         TEXT NOT NULL,
    kind         TEXT NOT NULL CONSTRAINT source_file_kind_check CHECK (kind IN ('ratings', 'titles', 'probe', 'qualifying')),
    bytes        BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    lines        BIGINT NOT NULL,
    blank_lines  BIGINT NOT NULL,
    headers      BIGINT NOT NULL,
    accepted     BIGINT NOT NULL,
    rejected     BIGINT NOT NULL
);
