-- Lookups and joins by day.
CREATE INDEX fact_ratings_date_key_idx ON {{schema}}.fact_ratings (date_key);
