-- Staging of an append, beside the staging of every transform (../01_staging.sql); all TEMP.
-- stg_origin_file:  grain one rating file whose lines the duplicate rule ranks; key file_id: the new files
--                   at their positions in stg_file, then the loaded files read again for the line of a
--                   stored rating (is_new false). The rule orders occurrences by (path, line_number).
-- stg_stored_reject: grain one line of a loaded file whose stored rating a new one beat; key (file_id, line_number).
-- probe_flagged:     grain one fact row whose is_probe flag this append set (52_probe_flags.sql); key rating_key.
-- qualifying_new:    grain one fact_qualifying row this append added (35_fact_qualifying.sql); key qualifying_key.
--                    Both stay empty when the append has no probe or qualifying file; 90_change_log.sql reads them.
CREATE TEMP TABLE stg_origin_file (
    file_id INTEGER NOT NULL,
    path    VARCHAR NOT NULL,
    is_new  BOOLEAN NOT NULL
);

CREATE TEMP TABLE stg_stored_reject (
    file_id     INTEGER NOT NULL,
    line_number BIGINT NOT NULL,
    reason      VARCHAR NOT NULL,
    raw_line    VARCHAR NOT NULL
);

CREATE TEMP TABLE probe_flagged (
    rating_key BIGINT NOT NULL
);

CREATE TEMP TABLE qualifying_new (
    qualifying_key BIGINT NOT NULL,
    customer_key   INTEGER NOT NULL,
    movie_key      INTEGER NOT NULL,
    date_key       INTEGER NOT NULL
);
