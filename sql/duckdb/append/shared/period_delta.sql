-- {{table}} (append), the shape 55_movie_delta.sql and 58_customer_delta.sql share: grain one ({{key}}, {{period}})
-- with ratings, key ({{key}}, {{period}}). Each touched ({{key}}, {{period}}) of fact_delta (54_agg_scope.sql) is its
-- stored count and sum plus the delta's (counts and sums add up); a period whose ratings all moved elsewhere adds
-- up to none and loses its row, as a full load would not make it. The touched rows are deleted and inserted again.
-- Placeholders: {{table}}, {{key}}, {{period}} (its column), {{period_of}} (its value from date_key, typed as
-- the table's column), {{averaged}} (the average column where the table has one, or nothing).
CREATE TEMP TABLE period_total AS
WITH delta AS (
    SELECT {{key}}, {{period_of}} AS {{period}}, sum(n) AS rating_count, sum(n * rating) AS rating_sum
    FROM fact_delta
    GROUP BY ALL
)
SELECT
    d.{{key}},
    d.{{period}},
    CAST(coalesce(a.rating_count, 0) + d.rating_count AS BIGINT) AS rating_count,
    CAST(coalesce(a.rating_sum, 0) + d.rating_sum AS BIGINT) AS rating_sum
FROM delta AS d
LEFT JOIN {{table}} AS a ON a.{{key}} = d.{{key}} AND a.{{period}} = d.{{period}};

DELETE FROM {{table}} USING period_total AS t
WHERE {{table}}.{{key}} = t.{{key}} AND {{table}}.{{period}} = t.{{period}};

INSERT INTO {{table}}
SELECT {{key}}, {{period}}, rating_count, rating_sum{{averaged}}
FROM period_total
WHERE rating_count > 0
ORDER BY {{key}}, {{period}};

DROP TABLE period_total;
