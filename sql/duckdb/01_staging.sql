-- Staging tables the parser appends to; dropped once the star schema is built.
-- stg_file:          grain one row per input file;            key file_id: the rating files in sorted path
--                    order, then probe, qualifying and titles (kind says which: ratings, probe, qualifying, titles);
--                    reread: a probe or qualifying file an append loaded before and reads again (SPEC 4)
-- stg_rating_packed: grain one row per accepted rating line;  no key of its own: a movie's rows are unique
--                    by customer only once the duplicate rule has run (10_duplicates.sql). The parser packs
--                    the five values into two BIGINTs, because DuckDB's appender costs about the same per
--                    value whatever its width (2 columns append in 0.6x the time of 3, and 3 in half of 6):
--                      movie_customer   = movie_id * 2^31 + customer_id          (both 1 .. 2^31 - 1)
--                      rank_date_rating = movie_rank * 2^31 + date_key * 16 + is_probe * 8 + rating
--                    with date_key the rating date as YYYYMMDD (< 2^27), rating 1..5, and is_probe 1 when the
--                    pair is an accepted line of probe.txt (flagged by the parse threads, src/transforms/rank.ts,
--                    so no SQL joins every rating with the probe pairs; a low bit, as a high one would set
--                    the top bits of rows scattered through every block and leave the column uncompressed:
--                    bit 62 made it 2.2x as large at 100M ratings). Line numbers are
--                    not staged: only the duplicate rule needs them, and only for the suspect movies, whose
--                    ratings are read again with their lines into stg_suspect_rating.
-- stg_rating:        the view the SQL files read: the packed columns unpacked, named and typed.
-- The ratings are staged in a database file of their own, attached as `staging` next to the build and
-- deleted with it: stored compressed, DuckDB can drop its pages from memory without writing them out again
-- (a TEMP table of 100M ratings spills 2.5 GB), and the warehouse file never holds their freed space.
-- The rest of the staging is small and TEMP. search_path lets the SQL files name stg_rating unqualified.
-- stg_reject:        grain one row per rejected line;         key (file_id, line_number)
-- stg_title:         grain one row per kept title line;       key movie_id
-- stg_suspect_movie: grain one row per movie id that may hold duplicate (movie, customer) pairs
-- stg_suspect_rating: grain one row per accepted rating line of a suspect movie; key line_ref
-- dup_loser:         grain one row per occurrence the duplicate rule drops;  key (file_id, line_number)
-- stg_probe:         grain one row per accepted probe line;  key line_number (date_line below, date_key 0).
-- stg_qualifying:    grain one row per accepted qualifying line; key line_number. Both packed like the ratings:
--                      movie_customer = movie_id * 2^31 + customer_id
--                      date_line      = date_key * 2^32 + line_number
-- pair_reject:       grain one row per probe or qualifying line rejected by a relational rule of SPEC 1.4
--                    (probe_not_rated, unknown_movie, unknown_customer, duplicate); key (file_id, line_number).
--                    Their raw lines are read again from the file (src/transforms/reject-lines.ts).
-- reject_raw:        grain one row per line a SQL rule rejected, with its text as read again from its file;
--                    key (file_id, line_number); emptied once 13_reject_raw_lines.sql has moved it to stg_reject.
-- stg_movie_ratings: grain one row per movie with ratings;     key movie_id. Its kept ratings, counted by
--                    the parse threads (and for suspects again by 10_duplicates.sql), so no SQL scans
--                    every rating to count them per movie.
-- stg_movie_block:   grain one row per movie header line of a rating file; key (file_id, byte_offset). Where
--                    each movie block starts (the parse threads' BlockFileParser.blocks), for nfx_movie_block.
-- stg_count_movie_month, stg_count_movie_star, stg_count_day_star: what the aggregate tables add up, counted
--                    by the parse threads over every accepted rating line (src/transforms/run-counts.ts), in a
--                    full transform; no key (a movie's runs in several files each have rows):
--                      movie_month: grain one (movie run, calendar month) with ratings; movie_month =
--                                   movie_id * 2^32 + month_key (YYYYMM)
--                      movie_star:  grain one (movie run, star) with ratings; movie_star = movie_id * 8 + star,
--                                   first_last = first date_key * 2^32 + last date_key of those ratings
--                      day_star:    grain one (rating file, day, star) with ratings; day_star = date_key * 8 + star
-- dup_loser_rating:  grain one rating occurrence the duplicate rule drops, with its movie, date and star: what
--                    55-57 take off those counts (filled by 10_duplicates.sql).
CREATE TEMP TABLE stg_file (
    file_id     INTEGER PRIMARY KEY,
    path        VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,
    bytes       BIGINT NOT NULL,
    sha256      VARCHAR NOT NULL,
    lines       BIGINT NOT NULL,
    blank_lines BIGINT NOT NULL,
    headers     BIGINT NOT NULL,
    parsed      BIGINT NOT NULL,
    rejected    BIGINT NOT NULL,
    reread      BOOLEAN NOT NULL
);

SET search_path = 'main,staging';

CREATE TABLE staging.stg_rating_packed (
    movie_customer   BIGINT NOT NULL,
    rank_date_rating BIGINT NOT NULL   -- movie_rank: rank of customer_id within the movie (src/transforms/rank.ts)
);

CREATE VIEW staging.stg_rating AS
SELECT
    movie_customer,
    CAST(movie_customer >> 31 AS INTEGER) AS movie_id,
    CAST(movie_customer & 2147483647 AS INTEGER) AS customer_id,
    CAST(rank_date_rating >> 31 AS INTEGER) AS movie_rank,
    CAST((rank_date_rating >> 4) & 134217727 AS INTEGER) AS date_key,
    CAST(rank_date_rating & 7 AS TINYINT) AS rating,
    (rank_date_rating & 8) <> 0 AS is_probe
FROM staging.stg_rating_packed;

-- YYYYMMDD -> DATE, for the few values that need a date (customer first/last, the date range).
CREATE TEMP MACRO date_of_key(k) AS make_date(CAST(k // 10000 AS BIGINT), CAST(k // 100 % 100 AS BIGINT), CAST(k % 100 AS BIGINT));

-- The rows of dim_date (40_dim_date.sql) for the days first_day .. last_day: one row per day, key date_key.
CREATE TEMP MACRO calendar_days(first_day, last_day) AS TABLE
SELECT
    CAST(year(date_actual) * 10000 + month(date_actual) * 100 + day(date_actual) AS INTEGER) AS date_key,
    date_actual,
    CAST(year(date_actual) AS SMALLINT) AS year,
    CAST(quarter(date_actual) AS SMALLINT) AS quarter,
    CAST(month(date_actual) AS SMALLINT) AS month,
    monthname(date_actual) AS month_name,
    CAST(day(date_actual) AS SMALLINT) AS day,
    CAST(isodow(date_actual) AS SMALLINT) AS day_of_week,
    dayname(date_actual) AS day_name,
    CAST(weekofyear(date_actual) AS SMALLINT) AS week_of_year,
    isodow(date_actual) >= 6 AS is_weekend
FROM (SELECT CAST(unnest(generate_series(first_day, last_day, INTERVAL 1 DAY)) AS DATE) AS date_actual)
WHERE first_day IS NOT NULL AND last_day IS NOT NULL;

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

CREATE TEMP TABLE stg_suspect_rating (
    line_ref    BIGINT NOT NULL,   -- file_id * 2^32 + line_number: orders occurrences by file, then line
    movie_id    INTEGER NOT NULL,
    customer_id INTEGER NOT NULL,
    date_key    INTEGER NOT NULL,
    rating      TINYINT NOT NULL
);

-- Filled by 10_duplicates.sql, which runs only when there are suspects; lineage reads it either way.
CREATE TEMP TABLE dup_loser (
    file_id     INTEGER NOT NULL,
    line_number BIGINT NOT NULL
);

CREATE TEMP TABLE stg_probe (
    movie_customer BIGINT NOT NULL,
    date_line      BIGINT NOT NULL
);

CREATE TEMP TABLE stg_qualifying (
    movie_customer BIGINT NOT NULL,
    date_line      BIGINT NOT NULL
);

CREATE TEMP TABLE pair_reject (
    file_id     INTEGER NOT NULL,
    line_number BIGINT NOT NULL,
    reason      VARCHAR NOT NULL
);

CREATE TEMP TABLE reject_raw (
    file_id     INTEGER NOT NULL,
    line_number BIGINT NOT NULL,
    raw_line    VARCHAR NOT NULL
);

CREATE TEMP TABLE stg_movie_ratings (
    movie_id INTEGER NOT NULL,
    ratings  BIGINT NOT NULL
);

CREATE TEMP TABLE stg_movie_block (
    file_id     INTEGER NOT NULL,
    mtime_ms    DOUBLE,
    movie_id    INTEGER NOT NULL,
    byte_offset BIGINT NOT NULL,
    line_number BIGINT NOT NULL
);

CREATE TEMP TABLE stg_count_movie_month (
    movie_month BIGINT NOT NULL,
    ratings     BIGINT NOT NULL,
    rating_sum  BIGINT NOT NULL
);

CREATE TEMP TABLE stg_count_movie_star (
    movie_star BIGINT NOT NULL,
    ratings    BIGINT NOT NULL,
    first_last BIGINT NOT NULL
);

CREATE TEMP TABLE stg_count_day_star (
    day_star BIGINT NOT NULL,
    ratings  BIGINT NOT NULL
);

CREATE TEMP TABLE dup_loser_rating (
    movie_id INTEGER NOT NULL,
    date_key INTEGER NOT NULL,
    rating   TINYINT NOT NULL
);
