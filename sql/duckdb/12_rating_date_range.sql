-- First and last date of the kept ratings, as YYYY-MM-DD text.
SELECT CAST(date_of_key(min(date_key)) AS VARCHAR), CAST(date_of_key(max(date_key)) AS VARCHAR) FROM stg_rating;
