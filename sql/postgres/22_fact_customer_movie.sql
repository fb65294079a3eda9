-- The index behind the grain's unique key (customer_key, movie_key); it also serves lookups by customer.
CREATE UNIQUE INDEX fact_ratings_customer_key_movie_key_key ON {{schema}}.fact_ratings (customer_key, movie_key);
