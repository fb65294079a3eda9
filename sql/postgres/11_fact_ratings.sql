-- fact_ratings: grain one row per (movie, customer) rating; key rating_key; (customer_key, movie_key) unique.
-- is_probe: the rating is in the Netflix Prize probe set (SPEC 1.4).
-- Created on its own so that with --jobs 1 it is created in the transaction that loads it (COPY ... FREEZE).
-- Bare like the dimensions (see 10_tables.sql): keys and indexes come after the data.
CREATE TABLE {{schema}}.fact_ratings (
    rating_key    BIGINT NOT NULL,
    customer_key  INTEGER NOT NULL,
    movie_key     INTEGER NOT NULL,
    date_key      INTEGER NOT NULL,
    rating        SMALLINT NOT NULL CONSTRAINT fact_ratings_rating_check CHECK (rating BETWEEN 1 AND 5),
    is_probe      BOOLEAN NOT NULL
);
