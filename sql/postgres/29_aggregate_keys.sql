-- Keys of the aggregate tables and their foreign keys to the dimensions (SPEC 2.1), then their planner
-- statistics. Runs after 20_dimension_keys.sql and the aggregates' load on the same connection, a lane of the
-- fact index builds (src/export/postgres.ts), since a foreign key needs the dimension's primary key.
-- agg_customer_year (2.7M rows at 100M ratings) is the one of any size; each rolls up fact_ratings, so every
-- key it references exists.
ALTER TABLE {{schema}}.agg_movie ADD CONSTRAINT agg_movie_pkey PRIMARY KEY (movie_key);
ALTER TABLE {{schema}}.agg_date ADD CONSTRAINT agg_date_pkey PRIMARY KEY (date_key);
ALTER TABLE {{schema}}.agg_customer_year ADD CONSTRAINT agg_customer_year_pkey PRIMARY KEY (customer_key, year);
ALTER TABLE {{schema}}.agg_movie_month ADD CONSTRAINT agg_movie_month_pkey PRIMARY KEY (movie_key, month_key);
ALTER TABLE {{schema}}.agg_movie
    ADD CONSTRAINT agg_movie_movie_key_fkey FOREIGN KEY (movie_key) REFERENCES {{schema}}.dim_movie (movie_key);
ALTER TABLE {{schema}}.agg_date
    ADD CONSTRAINT agg_date_date_key_fkey FOREIGN KEY (date_key) REFERENCES {{schema}}.dim_date (date_key);
ALTER TABLE {{schema}}.agg_customer_year
    ADD CONSTRAINT agg_customer_year_customer_key_fkey FOREIGN KEY (customer_key) REFERENCES {{schema}}.dim_customer (customer_key);
ALTER TABLE {{schema}}.agg_movie_month
    ADD CONSTRAINT agg_movie_month_movie_key_fkey FOREIGN KEY (movie_key) REFERENCES {{schema}}.dim_movie (movie_key);
-- Analyzed here, on the lane, rather than in 50_analyze.sql after the fact table's foreign keys.
ANALYZE {{schema}}.agg_movie, {{schema}}.agg_date, {{schema}}.agg_customer_year, {{schema}}.agg_movie_month;
