-- Planner statistics for every table of the new load, before anyone queries it.
ANALYZE {{schema}}.dim_date, {{schema}}.dim_movie, {{schema}}.dim_customer, {{schema}}.fact_ratings,
    {{schema}}.rejects, {{schema}}.etl_run, {{schema}}.source_file;
