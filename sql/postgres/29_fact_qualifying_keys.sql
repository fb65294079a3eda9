-- fact_qualifying: grain one row per kept qualifying pair. Its primary key, the pair's uniqueness and the
-- foreign keys to the three dimensions, built after the load in the lane of 20_dimension_keys.sql (whose
-- primary keys the foreign keys need). About 2.8 M rows on the full data set: seconds.
ALTER TABLE {{schema}}.fact_qualifying ADD CONSTRAINT fact_qualifying_pkey PRIMARY KEY (qualifying_key);
ALTER TABLE {{schema}}.fact_qualifying ADD CONSTRAINT fact_qualifying_customer_movie_key UNIQUE (customer_key, movie_key);
ALTER TABLE {{schema}}.fact_qualifying
    ADD CONSTRAINT fact_qualifying_customer_key_fkey FOREIGN KEY (customer_key) REFERENCES {{schema}}.dim_customer (customer_key);
ALTER TABLE {{schema}}.fact_qualifying
    ADD CONSTRAINT fact_qualifying_movie_key_fkey FOREIGN KEY (movie_key) REFERENCES {{schema}}.dim_movie (movie_key);
ALTER TABLE {{schema}}.fact_qualifying
    ADD CONSTRAINT fact_qualifying_date_key_fkey FOREIGN KEY (date_key) REFERENCES {{schema}}.dim_date (date_key);
