/**
 * The serving stage: the questions users ask of the loaded warehouse, each timed in two forms on the
 * PostgreSQL export and on the DuckDB file: over fact_ratings (a scan of every rating) and over the aggregate
 * tables of SPEC 2.1. The SQL is in bench/sql/serving/<question>.{fact,agg}.sql, one text for both engines.
 *
 * Each run is a process of its own with its output thrown away, timed from start to exit: psql for
 * PostgreSQL (what a user or a BI tool's driver pays: connect, plan, run, send every row), `nfx query
 * --format csv` for DuckDB (node's start-up, about 0.3 s, included, as a user meets it).
 */
import {spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {median} from './measure.js';
import {psqlPath} from './postgres.js';

const SERVING_SQL = join(dirname(fileURLToPath(import.meta.url)), '..', 'sql', 'serving');

/** The questions, with the most a PostgreSQL answer from the aggregates may take at 100M ratings (issue 16). */
export const QUESTIONS = [
  {id: 'top-movies', label: 'top 10 most rated movies', targetSeconds: 0.3},
  {id: 'avg-by-year', label: 'average rating by year', targetSeconds: 0.3},
  {id: 'customer-trends', label: 'customer x year counts and averages (all rows)', targetSeconds: 5},
  {id: 'monthly-volume', label: 'ratings by year and month', targetSeconds: 0.3},
  {id: 'daily-summary-view', label: 'SELECT * FROM v_daily_rating_summary', targetSeconds: 0.3},
  {id: 'movie-performance-view', label: 'SELECT * FROM v_movie_performance', targetSeconds: 0.3},
];

const FORMS = ['fact', 'agg'];

/** Wall seconds of one command fed `input`, its output discarded; throws with its stderr when it fails. */
function timed(command, args, input = '') {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {stdio: ['pipe', 'ignore', 'pipe']});
    child.stdin.end(input);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      if (code === 0) resolve(seconds);
      else reject(new Error(`${command} exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' ')}`));
    });
  });
}

const sqlOf = (question, form) => readFileSync(join(SERVING_SQL, `${question}.${form}.sql`), 'utf8').trim();

/**
 * Runs every question in both forms on both engines, `rounds` times each (in alternating order of the forms),
 * and returns per question and engine the median seconds of each form.
 * @param {{nfxBin: string, warehouse: string, pg: {url: string} | null, schema: string, rounds: number, log: (line: string) => void}} options
 */
export async function measureServing({nfxBin, warehouse, pg, schema, rounds, log}) {
  const engines = {
    duckdb: (sql) => timed(process.execPath, [nfxBin, 'query', '--db', warehouse, '--format', 'csv', '-'], sql),
    ...(pg && psqlPath()
      ? {postgres: (sql) => timed(/** @type {string} */ (psqlPath()), ['-X', '-q', '-A', '-t', '-o', '/dev/null', '-v', 'ON_ERROR_STOP=1', '-d', pg.url, '-c', `SET search_path TO "${schema}"; ${sql}`])}
      : {}),
  };
  const results = [];
  for (const question of QUESTIONS) {
    /** @type {Record<string, Record<string, number[]>>} */
    const samples = Object.fromEntries(Object.keys(engines).map((engine) => [engine, {fact: [], agg: []}]));
    for (let round = 1; round <= rounds; round++) {
      for (const [engine, run] of Object.entries(engines)) {
        for (const form of round % 2 ? FORMS : [...FORMS].reverse()) samples[engine][form].push(await run(sqlOf(question.id, form)));
      }
    }
    const medians = Object.fromEntries(
      Object.entries(samples).map(([engine, forms]) => [engine, Object.fromEntries(FORMS.map((form) => [form, {median: round3(median(forms[form])), samples: forms[form].map(round3)}]))]),
    );
    const pgAgg = medians.postgres?.agg.median ?? null;
    results.push({...question, ...medians, met: pgAgg === null ? null : pgAgg <= question.targetSeconds});
    const said = Object.entries(medians).map(([engine, m]) => `${engine} fact ${m.fact.median} s, agg ${m.agg.median} s`);
    log(`serving: ${question.label}: ${said.join('; ')}`);
  }
  return results;
}

const round3 = (x) => Number(x.toFixed(3));

/** The serving table printed at the end of a run. */
export function renderServing(serving) {
  const fmt = (x) => (x === null || x === undefined ? '-' : x.toFixed(3));
  const head = ['question', 'PG fact s', 'PG agg s', 'PG target s', 'DuckDB fact s', 'DuckDB agg s', ''];
  const rows = serving.map((q) => [
    q.label,
    fmt(q.postgres?.fact.median),
    fmt(q.postgres?.agg.median),
    `<= ${q.targetSeconds}`,
    fmt(q.duckdb?.fact.median),
    fmt(q.duckdb?.agg.median),
    q.met === null ? 'n/a' : q.met ? 'MET' : 'MISSED',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return ['serving (medians; fact = over fact_ratings, agg = over the aggregate tables)', line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
