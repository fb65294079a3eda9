-- The staging tables have served; the warehouse keeps only the star schema, rejects and lineage.
DROP TABLE dup_loser;
DROP TABLE stg_movie_ratings;
DROP TABLE stg_movie_block;
DROP TABLE stg_probe;
DROP TABLE stg_qualifying;
DROP TABLE pair_reject;
DROP TABLE reject_raw;
DROP TABLE stg_suspect_rating;
DROP TABLE stg_suspect_movie;
DROP TABLE stg_title;
DROP TABLE stg_reject;
DROP VIEW staging.stg_rating;
DROP TABLE staging.stg_rating_packed;
DROP MACRO date_of_key;
DROP MACRO TABLE calendar_days;
RESET search_path;
DETACH staging;
DROP TABLE stg_file;

