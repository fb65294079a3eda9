-- The staging database of this build (see 01_staging.sql), in the build's spill folder, or in memory for an
-- append of small files (src/transforms/stages/open-build.ts).
ATTACH {{staging_path}} AS staging;
