-- fact_ratings' new rows: grain as in 10_tables.sql; the keys above {{stored_max}} (the target's largest
-- rating_key before the apply), which no stored row can hold, by a plain INSERT (no conflict arbiter to
-- probe) in {{fact_order}} order. Runs between 72_incremental_apply.sql and 78_incremental_apply_rest.sql,
-- after 77_new_facts_keys_checked.sql where the role may use it.
WITH added AS (
    INSERT INTO {{schema}}.fact_ratings
    SELECT * FROM new_fact_ratings
    WHERE rating_key > {{stored_max}}
    ORDER BY {{fact_order}}
    RETURNING 1
)
SELECT 'fact_ratings' AS table_name, count(*) AS inserted, 0 AS updated, 0 AS deleted FROM added;
