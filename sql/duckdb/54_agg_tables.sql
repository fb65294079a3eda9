-- The aggregate tables of SPEC 2.1, created empty; 55-58 fill them. Columns and grains: see those files.
-- Created apart from their rows so that an append (sql/duckdb/append/54_agg_scope.sql) refills the rows of
-- the movies, days and customers it touched with the same files 55-58, scoped by their placeholders.
CREATE TABLE agg_movie (
    movie_key         INTEGER,
    rating_count      BIGINT,
    rating_sum        BIGINT,
    avg_rating        DOUBLE,
    stars_1           BIGINT,
    stars_2           BIGINT,
    stars_3           BIGINT,
    stars_4           BIGINT,
    stars_5           BIGINT,
    first_rating_date DATE,
    last_rating_date  DATE
);

CREATE TABLE agg_movie_month (
    movie_key    INTEGER,
    month_key    INTEGER,
    rating_count BIGINT,
    rating_sum   BIGINT
);

CREATE TABLE agg_date (
    date_key     INTEGER,
    rating_count BIGINT,
    rating_sum   BIGINT,
    avg_rating   DOUBLE,
    stars_1      BIGINT,
    stars_2      BIGINT,
    stars_3      BIGINT,
    stars_4      BIGINT,
    stars_5      BIGINT
);

CREATE TABLE agg_customer_year (
    customer_key INTEGER,
    year         SMALLINT,
    rating_count BIGINT,
    rating_sum   BIGINT,
    avg_rating   DOUBLE
);
