-- The staging tables have served; the warehouse keeps only the star schema, rejects and lineage.
DROP TABLE dup_loser;
DROP TABLE stg_suspect_movie;
DROP TABLE stg_title;
DROP TABLE stg_reject;
DROP TABLE stg_rating;
DROP TABLE stg_file;

