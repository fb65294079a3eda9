-- Records the finished run (parameters $1..$14 in column order of etl_run).
INSERT INTO etl_run VALUES ($1, $2::TIMESTAMPTZ, $3::TIMESTAMPTZ, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14);
