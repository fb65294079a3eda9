-- Grain: one row per input file of one run ($run_id); key path.
-- Line accounting: headers + accepted + rejected = lines - blank_lines; balanced says whether it holds.
SELECT
    path,
    kind,
    bytes,
    sha256,
    lines,
    blank_lines,
    headers,
    accepted,
    rejected,
    headers + accepted + rejected = lines - blank_lines AS balanced
FROM source_file
WHERE run_id = $run_id
ORDER BY path;
