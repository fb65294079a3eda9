-- Baseline A, star step 1.
-- rating_kept: grain one rating per (movie_id, customer_id); the latest date wins, on equal dates the
-- later occurrence (file, then line), as in the data contract.
CREATE TEMP TABLE rating_kept AS
SELECT movie_id, customer_id, rating, rating_date
FROM rating
QUALIFY row_number() OVER (
    PARTITION BY movie_id, customer_id
    ORDER BY rating_date DESC, line_seq DESC
) = 1;

DROP TABLE rating;
