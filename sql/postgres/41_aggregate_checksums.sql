-- Reconciliation of the aggregate tables (SPEC 2.1): a row count and a checksum each, as 40_checksums.sql does
-- for the other tables (the same rules); checksumSql() (src/export/tables.ts) appends these rows to its query.
-- Apart so that the bench's reference export without the aggregates (src/bench-reference.ts) can leave them out.
SELECT 'agg_movie', count(*), concat_ws('/',
        CAST(coalesce(sum(movie_key), 0) AS TEXT),
        CAST(coalesce(sum(rating_count), 0) AS TEXT),
        CAST(coalesce(sum(rating_sum), 0) AS TEXT),
        CAST(coalesce(sum(stars_1 + 2 * stars_2 + 3 * stars_3 + 4 * stars_4 + 5 * stars_5), 0) AS TEXT),
        CAST(coalesce(sum(stars_5 * movie_key), 0) AS TEXT),
        CAST(count(avg_rating) AS TEXT),
        CAST(coalesce(CAST(sum(floor(avg_rating * 1000000)) AS BIGINT), 0) AS TEXT),
        CAST(coalesce(sum(first_rating_date - DATE '1970-01-01'), 0) AS TEXT),
        CAST(coalesce(sum(last_rating_date - DATE '1970-01-01'), 0) AS TEXT))
FROM {{schema}}.agg_movie
UNION ALL
SELECT 'agg_date', count(*), concat_ws('/',
        CAST(coalesce(sum(date_key), 0) AS TEXT),
        CAST(coalesce(sum(rating_count), 0) AS TEXT),
        CAST(coalesce(sum(rating_sum), 0) AS TEXT),
        CAST(coalesce(sum(stars_1 + 2 * stars_2 + 3 * stars_3 + 4 * stars_4 + 5 * stars_5), 0) AS TEXT),
        CAST(coalesce(sum(CAST(stars_5 AS BIGINT) * (date_key % 10000)), 0) AS TEXT),
        CAST(coalesce(CAST(sum(floor(avg_rating * 1000000)) AS BIGINT), 0) AS TEXT))
FROM {{schema}}.agg_date
UNION ALL
SELECT 'agg_customer_year', count(*), concat_ws('/',
        CAST(coalesce(sum(customer_key), 0) AS TEXT),
        CAST(coalesce(sum(year), 0) AS TEXT),
        CAST(coalesce(sum(rating_count), 0) AS TEXT),
        CAST(coalesce(sum(rating_sum), 0) AS TEXT),
        CAST(coalesce(sum(rating_count * year), 0) AS TEXT),
        CAST(coalesce(CAST(sum(floor(avg_rating * 1000000)) AS BIGINT), 0) AS TEXT))
FROM {{schema}}.agg_customer_year
UNION ALL
SELECT 'agg_movie_month', count(*), concat_ws('/',
        CAST(coalesce(sum(movie_key), 0) AS TEXT),
        CAST(coalesce(sum(month_key), 0) AS TEXT),
        CAST(coalesce(sum(rating_count), 0) AS TEXT),
        CAST(coalesce(sum(rating_sum), 0) AS TEXT),
        CAST(coalesce(sum(rating_count * (month_key % 100)), 0) AS TEXT))
FROM {{schema}}.agg_movie_month;
