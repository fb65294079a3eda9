-- One input file with the parser's counts (parameters in column order of stg_file).
INSERT INTO stg_file VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11);
