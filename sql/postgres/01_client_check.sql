-- Every export and verify connection: the server checks the client socket every $1 while a statement runs,
-- and ends the session of a client that is gone (PostgreSQL 14+). On older servers the setting does not exist
-- and this sets nothing.
SELECT set_config(name, $1, false)
FROM pg_settings
WHERE name = 'client_connection_check_interval';
