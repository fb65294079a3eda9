-- Planner statistics for every table of the new load, before anyone queries it (the aggregate tables were
-- analyzed on their lane, by 29_aggregate_keys.sql).
ANALYZE {{schema}}.dim_date, {{schema}}.dim_movie, {{schema}}.dim_customer, {{schema}}.fact_ratings,
    {{schema}}.rejects, {{schema}}.etl_run, {{schema}}.source_file;
