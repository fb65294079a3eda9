-- source_file (append): a loaded file whose stored ratings this run beat has that many fewer accepted lines
-- and more rejected ones (line accounting, SPEC 1.3); the row of its latest run says so.
UPDATE source_file
SET accepted = accepted - b.beaten, rejected = rejected + b.beaten
FROM (
    SELECT o.path, count(*) AS beaten
    FROM stg_stored_reject AS r
    JOIN stg_origin_file AS o ON o.file_id = r.file_id
    GROUP BY o.path
) AS b
WHERE source_file.path = b.path
  AND source_file.run_id = (
      SELECT s.run_id FROM source_file AS s JOIN etl_run AS e ON e.run_id = s.run_id
      WHERE s.path = b.path ORDER BY e.started_at DESC LIMIT 1
  );
