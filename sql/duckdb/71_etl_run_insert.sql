-- Records the finished run (parameters $1..$15 in the column order named here, which a warehouse written
-- before etl_run had a mode column also accepts once the append has added it at the end).
INSERT INTO etl_run (run_id, started_at, finished_at, nfx_version, status, mode, data_dir, rating_files, lines_read,
                     ratings_loaded, rejected, duplicates, movies, customers, seconds)
VALUES ($1, $2::TIMESTAMPTZ, $3::TIMESTAMPTZ, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15);
