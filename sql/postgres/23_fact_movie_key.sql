-- Lookups and joins by movie.
CREATE INDEX fact_ratings_movie_key_idx ON {{schema}}.fact_ratings (movie_key);
