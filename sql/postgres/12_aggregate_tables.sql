-- The aggregate tables (SPEC 2.1), created bare in the staging schema {{schema}} beside the dimensions and
-- loaded in the same transaction; their keys and foreign keys are built after the data is in
-- (29_aggregate_keys.sql). Counts and sums are exact BIGINTs; each average is the sum over the count.
-- Column order = src/export/tables.ts.

-- agg_movie: grain one row per dim_movie row, unrated movies included; key movie_key.
CREATE TABLE {{schema}}.agg_movie (
    movie_key          INTEGER NOT NULL,
    rating_count       BIGINT NOT NULL,
    rating_sum         BIGINT NOT NULL,
    avg_rating         DOUBLE PRECISION,
    stars_1            BIGINT NOT NULL,
    stars_2            BIGINT NOT NULL,
    stars_3            BIGINT NOT NULL,
    stars_4            BIGINT NOT NULL,
    stars_5            BIGINT NOT NULL,
    first_rating_date  DATE,
    last_rating_date   DATE
);

-- agg_date: grain one row per day with ratings; key date_key.
CREATE TABLE {{schema}}.agg_date (
    date_key      INTEGER NOT NULL,
    rating_count  BIGINT NOT NULL,
    rating_sum    BIGINT NOT NULL,
    avg_rating    DOUBLE PRECISION NOT NULL,
    stars_1       BIGINT NOT NULL,
    stars_2       BIGINT NOT NULL,
    stars_3       BIGINT NOT NULL,
    stars_4       BIGINT NOT NULL,
    stars_5       BIGINT NOT NULL
);

-- agg_customer_year: grain one row per (customer, calendar year) with ratings; key (customer_key, year).
CREATE TABLE {{schema}}.agg_customer_year (
    customer_key  INTEGER NOT NULL,
    year          SMALLINT NOT NULL,
    rating_count  BIGINT NOT NULL,
    rating_sum    BIGINT NOT NULL,
    avg_rating    DOUBLE PRECISION NOT NULL
);

-- agg_movie_month: grain one row per (movie, calendar month) with ratings; key (movie_key, month_key YYYYMM).
CREATE TABLE {{schema}}.agg_movie_month (
    movie_key     INTEGER NOT NULL,
    month_key     INTEGER NOT NULL,
    rating_count  BIGINT NOT NULL,
    rating_sum    BIGINT NOT NULL
);
