-- Baseline B, step 1: bare tables (no keys, no indexes) in a fresh schema, named by psql variable :schema.
-- Column types as in the data contract (SPEC section 2); NOT NULL on keys costs nothing during COPY.
DROP SCHEMA IF EXISTS :"schema" CASCADE;
CREATE SCHEMA :"schema";
SET search_path TO :"schema";

-- dim_date: grain one row per day; key date_key (added in 03_constraints.sql)
CREATE TABLE dim_date (
    date_key     integer NOT NULL,
    date_actual  date NOT NULL,
    year         smallint NOT NULL,
    quarter      smallint NOT NULL,
    month        smallint NOT NULL,
    month_name   text NOT NULL,
    day          smallint NOT NULL,
    day_of_week  smallint NOT NULL,
    day_name     text NOT NULL,
    week_of_year smallint NOT NULL,
    is_weekend   boolean NOT NULL
);

-- dim_movie: grain one row per movie; keys movie_key, movie_id
CREATE TABLE dim_movie (
    movie_key    integer NOT NULL,
    movie_id     integer NOT NULL,
    title        text,
    release_year smallint
);

-- dim_customer: grain one row per customer; keys customer_key, customer_id
CREATE TABLE dim_customer (
    customer_key      integer NOT NULL,
    customer_id       integer NOT NULL,
    first_rating_date date NOT NULL,
    last_rating_date  date NOT NULL,
    total_ratings     integer NOT NULL,
    avg_rating        double precision NOT NULL
);

-- fact_ratings: grain one row per (movie, customer) rating; keys rating_key, (customer_key, movie_key)
CREATE TABLE fact_ratings (
    rating_key   bigint NOT NULL,
    customer_key integer NOT NULL,
    movie_key    integer NOT NULL,
    date_key     integer NOT NULL,
    rating       smallint NOT NULL
);
