-- dim_movie: grain one row per movie id that has a title line or a kept rating.
-- Keys: movie_key (dense from 1, in movie_id order); movie_id unique. Movies rated but untitled keep NULL title/year.
CREATE TABLE dim_movie AS
WITH titled AS (
    SELECT movie_id, title, release_year FROM stg_title
),
rated AS (
    SELECT movie_id FROM stg_movie_ratings
),
movies AS (
    SELECT movie_id FROM titled
    UNION
    SELECT movie_id FROM rated
)
SELECT
    CAST(row_number() OVER (ORDER BY m.movie_id) AS INTEGER) AS movie_key,
    m.movie_id,
    t.title,
    t.release_year
FROM movies AS m
LEFT JOIN titled AS t ON t.movie_id = m.movie_id
ORDER BY movie_key;
