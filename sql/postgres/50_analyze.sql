-- Planner statistics for every table of the new load, before anyone queries it.
ANALYZE {{schema}}.dim_date, {{schema}}.dim_movie, {{schema}}.dim_customer, {{schema}}.fact_ratings,
    {{schema}}.agg_movie, {{schema}}.agg_date, {{schema}}.agg_customer_year, {{schema}}.agg_movie_month,
    {{schema}}.rejects, {{schema}}.etl_run, {{schema}}.source_file;
