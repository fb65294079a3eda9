-- Baseline B, step 3: after the rows are in, the constraints and indexes of the data contract
-- (SPEC sections 2 and 3) in plain SQL, one statement after the other, then ANALYZE.
SET search_path TO :"schema";

ALTER TABLE dim_date ADD PRIMARY KEY (date_key);
ALTER TABLE dim_movie ADD PRIMARY KEY (movie_key);
ALTER TABLE dim_movie ADD UNIQUE (movie_id);
ALTER TABLE dim_customer ADD PRIMARY KEY (customer_key);
ALTER TABLE dim_customer ADD UNIQUE (customer_id);

ALTER TABLE fact_ratings ADD PRIMARY KEY (rating_key);
ALTER TABLE fact_ratings ADD UNIQUE (customer_key, movie_key);
ALTER TABLE fact_ratings ADD FOREIGN KEY (customer_key) REFERENCES dim_customer (customer_key);
ALTER TABLE fact_ratings ADD FOREIGN KEY (movie_key) REFERENCES dim_movie (movie_key);
ALTER TABLE fact_ratings ADD FOREIGN KEY (date_key) REFERENCES dim_date (date_key);
ALTER TABLE fact_ratings ADD CHECK (rating BETWEEN 1 AND 5);
CREATE INDEX ON fact_ratings (movie_key);
CREATE INDEX ON fact_ratings (date_key);

ANALYZE dim_date, dim_movie, dim_customer, fact_ratings;
