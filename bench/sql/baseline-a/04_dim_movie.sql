-- Baseline A, star step 2.
-- dim_movie: grain one row per movie id with a title line or a rating; keys movie_key (dense, in
-- movie_id order), movie_id. The titles file is Latin-1; a title is everything after the second comma.
CREATE TABLE dim_movie AS
WITH title_line AS (
    SELECT line
    FROM read_csv(
        {{titles_path}},
        columns = {'line': 'VARCHAR'},
        header = false, delim = '\x01', quote = '', escape = '', auto_detect = false, encoding = 'latin-1'
    )
),
titled AS (
    SELECT
        CAST(split_part(line, ',', 1) AS INTEGER) AS movie_id,
        CAST(nullif(nullif(split_part(line, ',', 2), 'NULL'), '') AS SMALLINT) AS release_year,
        substr(line, length(split_part(line, ',', 1)) + length(split_part(line, ',', 2)) + 3) AS title
    FROM title_line
),
movies AS (
    SELECT movie_id FROM titled
    UNION
    SELECT DISTINCT movie_id FROM rating_kept
)
SELECT
    CAST(row_number() OVER (ORDER BY m.movie_id) AS INTEGER) AS movie_key,
    m.movie_id,
    t.title,
    t.release_year
FROM movies AS m
LEFT JOIN titled AS t ON t.movie_id = m.movie_id;
