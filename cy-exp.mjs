// agg_customer_year variants on a warehouse copy: grouping fact_ratings by dense customer_key and year
import {DuckDBInstance} from '@duckdb/node-api';
const [file, variant] = process.argv.slice(2);
const i = await DuckDBInstance.create(file, {memory_limit: '1GB', threads: '2'});
const c = await i.connect();
const V = {
  two: `SELECT customer_key, CAST(date_key // 10000 AS SMALLINT) AS year, count(*) AS n, CAST(sum(rating) AS BIGINT) AS s FROM fact_ratings GROUP BY ALL`,
  one: `SELECT customer_key * 16 + (date_key // 10000 - 1998) AS k, count(*) AS n, CAST(sum(rating) AS BIGINT) AS s FROM fact_ratings GROUP BY k`,
  packed: `SELECT customer_key * 16 + (date_key // 10000 - 1998) AS k, sum(CAST(rating AS BIGINT) + 4294967296) AS ns FROM fact_ratings GROUP BY k`,
  packedtwo: `SELECT customer_key, date_key // 10000 AS y, sum(CAST(rating AS BIGINT) + 4294967296) AS ns FROM fact_ratings GROUP BY ALL`,
  packed40: `SELECT customer_key * 16 + (date_key // 10000 - 1998) AS k, sum(CAST(rating AS BIGINT) + 1099511627776) AS ns FROM fact_ratings GROUP BY k`,
  packedint: `SELECT customer_key * 16 + (date_key // 10000 - 1998) AS k, count(*) AS n, sum(rating) AS s FROM fact_ratings GROUP BY k`,
  cust: `SELECT customer_key, count(*) n, CAST(sum(rating) AS BIGINT) s, min(date_key), max(date_key) FROM fact_ratings GROUP BY customer_key`,
  stg: `SELECT customer_id, min(date_key), max(date_key), count(*) n, sum(rating) s FROM fact_ratings JOIN dim_customer USING (customer_key) GROUP BY customer_id`,
};
for (const v of variant.split(',')) {
  const t = performance.now();
  await c.run(`CREATE OR REPLACE TEMP TABLE x AS ${V[v]}`);
  const rows = (await c.runAndReadAll('SELECT count(*) FROM x')).getRows()[0][0];
  console.log(v, ((performance.now() - t) / 1000).toFixed(2), 's', rows, 'rows');
}
