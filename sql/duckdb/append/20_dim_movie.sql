-- dim_movie (append): grain one row per movie id; keys movie_key, movie_id unique (see ../20_dim_movie.sql).
-- A known movie's title and year are overwritten by the new titles file where they differ (type 1;
-- title_change, grain one changed movie, counts them); new movie ids (titled or rated) get the next keys
-- after the current maximum, in movie_id order. A movie the new titles file no longer lists keeps its row.
CREATE TEMP TABLE title_change AS
SELECT m.movie_id, t.title, t.release_year
FROM dim_movie AS m
JOIN stg_title AS t ON t.movie_id = m.movie_id
WHERE m.title IS DISTINCT FROM t.title OR m.release_year IS DISTINCT FROM t.release_year;

UPDATE dim_movie
SET title = c.title, release_year = c.release_year
FROM title_change AS c
WHERE dim_movie.movie_id = c.movie_id;

INSERT INTO dim_movie
WITH movies AS (
    SELECT movie_id FROM stg_title
    UNION
    SELECT DISTINCT movie_id FROM stg_rating
),
new_movie AS (
    SELECT movie_id FROM movies WHERE movie_id NOT IN (SELECT movie_id FROM dim_movie)
)
SELECT
    CAST((SELECT coalesce(max(movie_key), 0) FROM dim_movie) + row_number() OVER (ORDER BY n.movie_id) AS INTEGER) AS movie_key,
    n.movie_id,
    t.title,
    t.release_year
FROM new_movie AS n
LEFT JOIN stg_title AS t ON t.movie_id = n.movie_id
ORDER BY movie_key;
