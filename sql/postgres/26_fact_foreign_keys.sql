-- Foreign keys from the fact table to the three dimensions. Each is validated with one scan of fact_ratings,
-- one after the other (the lock each takes conflicts with itself); the reconciliation's checksum scan
-- (40_checksums.sql) runs beside them on another connection, as its lock conflicts with neither.
ALTER TABLE {{schema}}.fact_ratings
    ADD CONSTRAINT fact_ratings_customer_key_fkey FOREIGN KEY (customer_key) REFERENCES {{schema}}.dim_customer (customer_key);
ALTER TABLE {{schema}}.fact_ratings
    ADD CONSTRAINT fact_ratings_movie_key_fkey FOREIGN KEY (movie_key) REFERENCES {{schema}}.dim_movie (movie_key);
ALTER TABLE {{schema}}.fact_ratings
    ADD CONSTRAINT fact_ratings_date_key_fkey FOREIGN KEY (date_key) REFERENCES {{schema}}.dim_date (date_key);
