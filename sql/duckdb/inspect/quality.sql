-- Grain: one row of data-quality counts over the whole warehouse.
-- Columns: rejects (all reasons), duplicates_dropped (reason duplicate), movies_without_title,
-- ratings_out_of_range (rating outside 1..5), orphan_ratings (fact rows whose customer, movie or date key
-- has no dimension row). The last two are 0 in every file nfx writes; they are checked, not assumed.
SELECT
    (SELECT count(*) FROM rejects) AS rejects,
    (SELECT count(*) FROM rejects WHERE reason = 'duplicate') AS duplicates_dropped,
    (SELECT count(*) FROM dim_movie WHERE title IS NULL) AS movies_without_title,
    (SELECT count(*) FROM fact_ratings WHERE rating NOT BETWEEN 1 AND 5) AS ratings_out_of_range,
    (
        SELECT count(*)
        FROM fact_ratings AS f
        WHERE NOT EXISTS (SELECT 1 FROM dim_customer AS c WHERE c.customer_key = f.customer_key)
           OR NOT EXISTS (SELECT 1 FROM dim_movie AS m WHERE m.movie_key = f.movie_key)
           OR NOT EXISTS (SELECT 1 FROM dim_date AS d WHERE d.date_key = f.date_key)
    ) AS orphan_ratings;
