-- A fresh staging schema for this export, once 00_leftovers.sql has dropped what an unfinished one left.
-- {{staging}} is a quoted identifier, {{comment}} a quoted literal.
CREATE SCHEMA {{staging}};
COMMENT ON SCHEMA {{staging}} IS {{comment}};
