-- Every customer's ratings and average per year, straight from agg_customer_year.
SELECT customer_key, year, rating_count AS ratings, avg_rating
FROM agg_customer_year
