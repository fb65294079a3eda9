-- The staging database of this build (see 01_staging.sql), in the build's spill folder.
ATTACH {{staging_path}} AS staging;
