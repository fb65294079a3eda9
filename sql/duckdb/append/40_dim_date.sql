-- dim_date (append): grain one calendar day; key date_key. Widened, never narrowed, to whole years: the
-- days from January 1 of the first rating's or qualifying pair's year (dated_range, ../01_staging.sql; or the
-- current first day, when earlier) to December 31 of the last one's (or the current last day) that it lacks
-- are added; rows are those of calendar_days. date_new (grain one added day) is kept for the change log.
CREATE TEMP TABLE date_new AS
SELECT *
FROM calendar_days(
    (SELECT least(make_date(year(first_date), 1, 1), (SELECT min(date_actual) FROM dim_date)) FROM dated_range()),
    (SELECT greatest(make_date(year(last_date), 12, 31), (SELECT max(date_actual) FROM dim_date)) FROM dated_range())
)
WHERE date_key NOT IN (SELECT date_key FROM dim_date)
ORDER BY date_key;

INSERT INTO dim_date
SELECT * FROM date_new ORDER BY date_key;
