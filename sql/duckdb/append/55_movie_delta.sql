-- agg_movie (append): the stored rows of the touched movies plus fact_delta (54_agg_scope.sql), with the
-- grain, key and columns of ../55_agg_movie.sql (agg_movie_month is brought up to date before, by
-- shared/period_delta.sql).
-- movie_total: grain one movie of agg_scope_movie (new movies included, with no ratings); its counts, sum
--   and stars are stored + delta; its first and last dates are the stored ones widened by the added
--   ratings, except where a beaten rating moved off the first date (movie_edge): those movies' dates are
--   read again from their fact rows (fact_ratings is in movie order, so that read skips the other movies'
--   rows). A beaten rating's date never falls (the later date wins, 1.1): the last date is always the stored
--   one widened, and the first moves only when the beaten rating sat on it and its new date is later.
-- A movie's count never falls: a beaten rating stays in its movie (the pair keeps its movie and customer).
CREATE TEMP TABLE movie_edge AS
SELECT f.movie_key, min(f.date_key) AS first_date_key, max(f.date_key) AS last_date_key
FROM fact_ratings AS f
WHERE f.movie_key IN (
    SELECT DISTINCT b.movie_key
    FROM fact_change AS b
    JOIN agg_movie AS a ON a.movie_key = b.movie_key
    WHERE b.date_key > b.old_date_key AND date_of_key(b.old_date_key) = a.first_rating_date
)
GROUP BY f.movie_key;

CREATE TEMP TABLE movie_total AS
WITH delta AS (
    SELECT
        movie_key,
        sum(n) AS rating_count,
        sum(n * rating) AS rating_sum,
        coalesce(sum(n) FILTER (WHERE rating = 1), 0) AS stars_1,
        coalesce(sum(n) FILTER (WHERE rating = 2), 0) AS stars_2,
        coalesce(sum(n) FILTER (WHERE rating = 3), 0) AS stars_3,
        coalesce(sum(n) FILTER (WHERE rating = 4), 0) AS stars_4,
        coalesce(sum(n) FILTER (WHERE rating = 5), 0) AS stars_5,
        min(date_key) FILTER (WHERE n > 0) AS first_added,
        max(date_key) FILTER (WHERE n > 0) AS last_added
    FROM fact_delta
    GROUP BY movie_key
)
SELECT
    s.movie_key,
    CAST(coalesce(a.rating_count, 0) + coalesce(d.rating_count, 0) AS BIGINT) AS rating_count,
    CAST(coalesce(a.rating_sum, 0) + coalesce(d.rating_sum, 0) AS BIGINT) AS rating_sum,
    CAST(coalesce(a.stars_1, 0) + coalesce(d.stars_1, 0) AS BIGINT) AS stars_1,
    CAST(coalesce(a.stars_2, 0) + coalesce(d.stars_2, 0) AS BIGINT) AS stars_2,
    CAST(coalesce(a.stars_3, 0) + coalesce(d.stars_3, 0) AS BIGINT) AS stars_3,
    CAST(coalesce(a.stars_4, 0) + coalesce(d.stars_4, 0) AS BIGINT) AS stars_4,
    CAST(coalesce(a.stars_5, 0) + coalesce(d.stars_5, 0) AS BIGINT) AS stars_5,
    CASE WHEN e.movie_key IS NOT NULL THEN date_of_key(e.first_date_key) ELSE least(a.first_rating_date, date_of_key(d.first_added)) END AS first_rating_date,
    CASE WHEN e.movie_key IS NOT NULL THEN date_of_key(e.last_date_key) ELSE greatest(a.last_rating_date, date_of_key(d.last_added)) END AS last_rating_date
FROM agg_scope_movie AS s
LEFT JOIN agg_movie AS a ON a.movie_key = s.movie_key
LEFT JOIN delta AS d ON d.movie_key = s.movie_key
LEFT JOIN movie_edge AS e ON e.movie_key = s.movie_key;

DELETE FROM agg_movie WHERE movie_key IN (SELECT movie_key FROM movie_total);

INSERT INTO agg_movie
SELECT
    movie_key,
    rating_count,
    rating_sum,
    CASE WHEN rating_count > 0 THEN CAST(rating_sum AS DOUBLE) / rating_count END AS avg_rating,
    stars_1,
    stars_2,
    stars_3,
    stars_4,
    stars_5,
    first_rating_date,
    last_rating_date
FROM movie_total
ORDER BY movie_key;

DROP TABLE movie_total;
DROP TABLE movie_edge;
