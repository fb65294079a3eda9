-- Staging tables the parser appends to; dropped once the star schema is built.
-- stg_file:          grain one row per input file;            key file_id (position in sorted path order)
-- stg_rating:        grain one row per accepted rating line;  key line_ref = file_id * 2^32 + line_number,
--                    so one column orders occurrences by file (path order), then line
-- The ratings are staged in a database file of their own, attached as `staging` next to the build and
-- deleted with it: stored compressed, DuckDB can drop its pages from memory without writing them out again
-- (a TEMP table of 100M ratings spills 2.5 GB), and the warehouse file never holds their freed space.
-- The rest of the staging is small and TEMP. search_path lets the SQL files name stg_rating unqualified.
-- stg_reject:        grain one row per rejected line;         key (file_id, line_number)
-- stg_title:         grain one row per kept title line;       key movie_id
-- stg_suspect_movie: grain one row per movie id that may hold duplicate (movie, customer) pairs
CREATE TEMP TABLE stg_file (
    file_id     INTEGER PRIMARY KEY,
    path        VARCHAR NOT NULL,
    bytes       BIGINT NOT NULL,
    sha256      VARCHAR NOT NULL,
    lines       BIGINT NOT NULL,
    blank_lines BIGINT NOT NULL,
    headers     BIGINT NOT NULL,
    parsed      BIGINT NOT NULL,
    rejected    BIGINT NOT NULL
);

SET search_path = 'main,staging';

CREATE TABLE staging.stg_rating (
    line_ref    BIGINT NOT NULL,
    movie_id    INTEGER NOT NULL,
    customer_id INTEGER NOT NULL,
    movie_rank  INTEGER NOT NULL,   -- rank of customer_id within the movie (see src/transforms/rank.ts)
    rating      TINYINT NOT NULL,
    rating_date DATE NOT NULL
);

CREATE TEMP TABLE stg_reject (
    file_id     INTEGER NOT NULL,
    line_number BIGINT NOT NULL,
    reason      VARCHAR NOT NULL,
    raw_line    VARCHAR NOT NULL
);

CREATE TEMP TABLE stg_title (
    movie_id     INTEGER NOT NULL,
    release_year SMALLINT,
    title        VARCHAR NOT NULL
);

CREATE TEMP TABLE stg_suspect_movie (
    movie_id INTEGER NOT NULL
);
