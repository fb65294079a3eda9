-- The change log of this append (nfx_change, ../73_change_log.sql): every row it inserted or changed, and
-- every aggregate key it rebuilt (a rebuilt scope may lose rows: a (movie, month) whose only rating was beaten
-- and moved to another month), so that an incremental export applies exactly these. Read from the temp tables
-- of the append's stages, which it then drops:
--   dim_date:          date_new (40_dim_date.sql)
--   dim_movie:         agg_scope_movie (new movies, movies with new or changed ratings) and title_change (20)
--   dim_customer:      agg_scope_customer (new customers, and those whose totals were recomputed)
--   fact_ratings:      fact_change (50_fact_ratings.sql) and probe_flagged (52_probe_flags.sql); the rows of
--                      fact_new are not listed key by key but counted in one 'fact_ratings_appended' row: they
--                      hold the keys above the warehouse's largest, which an export takes as one range
--                      (sql/postgres/71_change_scope.sql). Listing 1M new keys cost 0.3 s of a 1M-rating append.
--   fact_qualifying:   qualifying_new (35_fact_qualifying.sql)
--   agg_movie, agg_movie_month: agg_scope_movie; agg_customer_year: agg_scope_customer (54_agg_scope.sql)
--   agg_date:          the days of fact_new, and the new and old days of fact_change (57_day_star_delta.sql)
--   rejects, source_file: by path: every file this run read (stg_file: new, titles, probe or qualifying read
--                      again) and every loaded rating file whose stored ratings it beat (71_stored_accounting.sql)
--   etl_run:           this run ({{run_id}}); publish inserts its row after this stage.
INSERT INTO nfx_change
SELECT {{run_id}}, 'dim_date', date_key, NULL FROM date_new
UNION ALL
SELECT {{run_id}}, 'dim_movie', movie_key, NULL FROM (
    SELECT movie_key FROM agg_scope_movie
    UNION
    SELECT m.movie_key FROM title_change AS t JOIN dim_movie AS m ON m.movie_id = t.movie_id
)
UNION ALL
SELECT {{run_id}}, 'dim_customer', customer_key, NULL FROM agg_scope_customer
UNION ALL
SELECT {{run_id}}, 'fact_ratings', rating_key, NULL FROM (
    SELECT rating_key FROM fact_change
    UNION
    SELECT rating_key FROM probe_flagged
)
UNION ALL
SELECT {{run_id}}, 'fact_ratings_appended', count(*), NULL FROM fact_new
UNION ALL
SELECT {{run_id}}, 'fact_qualifying', qualifying_key, NULL FROM qualifying_new
UNION ALL
SELECT {{run_id}}, 'agg_movie', movie_key, NULL FROM agg_scope_movie
UNION ALL
SELECT {{run_id}}, 'agg_movie_month', movie_key, NULL FROM agg_scope_movie
UNION ALL
SELECT {{run_id}}, 'agg_customer_year', customer_key, NULL FROM agg_scope_customer
UNION ALL
SELECT {{run_id}}, 'agg_date', date_key, NULL FROM (
    SELECT date_key FROM fact_new
    UNION
    SELECT date_key FROM fact_change
    UNION
    SELECT old_date_key FROM fact_change
)
UNION ALL
SELECT {{run_id}}, table_name, NULL, path
FROM (
    SELECT path FROM stg_file
    UNION
    SELECT o.path FROM stg_stored_reject AS r JOIN stg_origin_file AS o ON o.file_id = r.file_id
) AS read_files
CROSS JOIN (VALUES ('rejects'), ('source_file')) AS t(table_name)
UNION ALL
SELECT {{run_id}}, 'etl_run', NULL, {{run_id}};

DROP TABLE fact_change;
DROP TABLE fact_new;
DROP TABLE date_new;
DROP TABLE qualifying_new;
