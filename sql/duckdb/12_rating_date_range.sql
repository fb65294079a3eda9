-- First and last date of the kept ratings, as YYYY-MM-DD text.
SELECT CAST(min(rating_date) AS VARCHAR), CAST(max(rating_date) AS VARCHAR) FROM stg_rating;
