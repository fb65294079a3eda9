-- All of v_movie_performance, which reads agg_movie.
SELECT * FROM v_movie_performance
