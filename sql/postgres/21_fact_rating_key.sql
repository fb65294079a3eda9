-- The index behind fact_ratings' primary key. Plain CREATE INDEX statements take a SHARE lock, which does
-- not conflict with itself: the four fact indexes (21-24) are built in parallel over --jobs connections.
CREATE UNIQUE INDEX fact_ratings_pkey ON {{schema}}.fact_ratings (rating_key);
