-- Foreign keys from the fact table to the three dimensions. Each is validated by one query over
-- fact_ratings, one after the other (the lock each takes conflicts with itself); the reconciliation's
-- checksum scan (40_checksums.sql) runs beside them on another connection, as its lock conflicts with none.
-- When VACUUM has made the table all-visible, the export runs this file with hash and nested-loop joins
-- switched off, so each check merges an index-only scan of the fact index on that key with the
-- dimension's primary key (see addForeignKeys in src/export/postgres.ts).
ALTER TABLE {{schema}}.fact_ratings
    ADD CONSTRAINT fact_ratings_customer_key_fkey FOREIGN KEY (customer_key) REFERENCES {{schema}}.dim_customer (customer_key);
ALTER TABLE {{schema}}.fact_ratings
    ADD CONSTRAINT fact_ratings_movie_key_fkey FOREIGN KEY (movie_key) REFERENCES {{schema}}.dim_movie (movie_key);
ALTER TABLE {{schema}}.fact_ratings
    ADD CONSTRAINT fact_ratings_date_key_fkey FOREIGN KEY (date_key) REFERENCES {{schema}}.dim_date (date_key);
