-- Keys of the dimensions and the audit tables, built once their rows are in (small tables: seconds at most).
ALTER TABLE {{schema}}.dim_date ADD CONSTRAINT dim_date_pkey PRIMARY KEY (date_key);
ALTER TABLE {{schema}}.dim_movie ADD CONSTRAINT dim_movie_pkey PRIMARY KEY (movie_key);
ALTER TABLE {{schema}}.dim_movie ADD CONSTRAINT dim_movie_movie_id_key UNIQUE (movie_id);
ALTER TABLE {{schema}}.dim_customer ADD CONSTRAINT dim_customer_pkey PRIMARY KEY (customer_key);
ALTER TABLE {{schema}}.dim_customer ADD CONSTRAINT dim_customer_customer_id_key UNIQUE (customer_id);
ALTER TABLE {{schema}}.rejects ADD CONSTRAINT rejects_pkey PRIMARY KEY (source_file, line_number);
ALTER TABLE {{schema}}.etl_run ADD CONSTRAINT etl_run_pkey PRIMARY KEY (run_id);
ALTER TABLE {{schema}}.source_file ADD CONSTRAINT source_file_pkey PRIMARY KEY (run_id, path);
