/**
 * Baseline A: the star schema built the way a user with only DuckDB would build it, in pure SQL
 * (bench/sql/baseline-a/*.sql): each rating file read as lines, numbered in file order, header lines
 * found, each rating ASOF-joined to the header above it, then the dimensions and the fact table.
 *
 * Runs in a process of its own so its peak RSS (DuckDB's native memory included) can be measured:
 *   node bench/baseline-a.js --db FILE --titles FILE RATING_FILE...
 * Prints one JSON object: {parse, star, checkpoint, seconds, stages, tables, maxRssMiB}.
 * DuckDB runs with its defaults (all cores, memory limit 80% of RAM), as a user's would.
 */
import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {DuckDBInstance} from '@duckdb/node-api';

const SQL_DIR = join(dirname(fileURLToPath(import.meta.url)), 'sql', 'baseline-a');

/** A string literal for SQL. @param {string} text */
const literal = (text) => `'${text.replaceAll("'", "''")}'`;

/** bench/sql/baseline-a/<name>.sql with its {{placeholders}} filled. */
function sql(name, values = {}) {
  return readFileSync(join(SQL_DIR, `${name}.sql`), 'utf8').replace(/\{\{(\w+)\}\}/g, (_, key) => {
    if (!(key in values)) throw new Error(`${name}.sql: no value for {{${key}}}`);
    return String(values[key]);
  });
}

const {values: flags, positionals: ratingFiles} = parseArgs({
  options: {db: {type: 'string'}, titles: {type: 'string'}},
  allowPositionals: true,
});
if (!flags.db || !flags.titles || ratingFiles.length === 0) {
  console.error('usage: node bench/baseline-a.js --db FILE --titles FILE RATING_FILE...');
  process.exit(2);
}

const clock = performance.now();
/** @type {Record<string, number>} */
const stages = {};
let connection;
/** Runs one SQL file and records its seconds under `stage` (added up when a stage runs several times). */
async function step(stage, name, values) {
  const started = performance.now();
  await connection.run(sql(name, values));
  stages[stage] = (stages[stage] ?? 0) + (performance.now() - started) / 1000;
}

const instance = await DuckDBInstance.create(flags.db, {autoinstall_known_extensions: 'false', autoload_known_extensions: 'false'});
connection = await instance.connect();

await step('rating_line', '00_create');
for (const [fileId, path] of ratingFiles.entries()) await step('rating_line', '01_rating_line', {file_id: fileId + 1, path: literal(path)});
await step('asof_join', '02_rating');
const parse = (performance.now() - clock) / 1000;

await step('dedup', '03_rating_kept');
await step('dim_movie', '04_dim_movie', {titles_path: literal(flags.titles)});
await step('dim_customer', '05_dim_customer');
await step('dim_date', '06_dim_date');
await step('fact_ratings', '07_fact_ratings');
const star = (performance.now() - clock) / 1000 - parse;

const counted = await connection.runAndReadAll(
  'SELECT (SELECT count(*) FROM fact_ratings), (SELECT count(*) FROM dim_customer), (SELECT count(*) FROM dim_movie), (SELECT count(*) FROM dim_date)',
);
const [factRatings, dimCustomer, dimMovie, dimDate] = counted.getRows()[0].map(Number);

const checkpointStarted = performance.now();
await connection.run('CHECKPOINT');
connection.closeSync();
instance.closeSync();
const checkpoint = (performance.now() - checkpointStarted) / 1000;

const round = (x) => Number(x.toFixed(3));
process.stdout.write(
  `${JSON.stringify({
    parse: round(parse),
    star: round(star),
    checkpoint: round(checkpoint),
    seconds: round((performance.now() - clock) / 1000),
    stages: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, round(v)])),
    tables: {fact_ratings: factRatings, dim_customer: dimCustomer, dim_movie: dimMovie, dim_date: dimDate},
    maxRssMiB: round(process.resourceUsage().maxRSS / 1024),
  })}\n`,
);
