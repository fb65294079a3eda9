-- fact_ratings' primary key and the grain's unique key become constraints on the indexes 21-22 built:
-- catalog updates only, instant. NOT NULL and the rating CHECK were declared with the table (11_fact_ratings.sql).
ALTER TABLE {{schema}}.fact_ratings ADD CONSTRAINT fact_ratings_pkey PRIMARY KEY USING INDEX fact_ratings_pkey;
ALTER TABLE {{schema}}.fact_ratings
    ADD CONSTRAINT fact_ratings_customer_key_movie_key_key UNIQUE USING INDEX fact_ratings_customer_key_movie_key_key;
