import {randomBytes} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {availableParallelism} from 'node:os';
import {join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {mostlyAllVisible, runPgExport, reconciliationMismatch} from '../../src/export/postgres.js';
import {schemaNames} from '../../src/export/publish.js';
import {EXPORT_TABLES} from '../../src/export/tables.js';
import {runNfx} from '../helpers/cli.js';
import {queryDuckDB} from '../helpers/duckdb.js';
import {tempDir} from '../helpers/tmp.js';
import {transform} from '../transform/dataset.js';
import {createTestDatabase} from '../helpers/pg.js';
import {count, duckdbTable, generatedWarehouse, pgTable, schemas} from './warehouses.js';

// SPEC 3: the export to PostgreSQL, in-process, against a real server.
let small: string; // dirty: every reject kind, titles with accented letters
let other: string; // a different data set, to tell two loads apart

beforeAll(async () => {
  [small, other] = await Promise.all([generatedWarehouse({ratings: '20000', seed: '3', dirty: true}), generatedWarehouse({ratings: '5000', seed: '9'})]);
});

describe('export to PostgreSQL', () => {
  it('copies every table row for row, accents intact, and reconciles them', async () => {
    const db = await createTestDatabase();
    const summary = await runPgExport({db: small, url: db.url, schema: 'netflix_dw', jobs: 2});
    const client = await db.connect();
    for (const table of EXPORT_TABLES) {
      expect(await pgTable(client, 'netflix_dw', table.name), table.name).toEqual(await duckdbTable(small, table.name));
    }
    expect(await count(client, 'netflix_dw', 'rejects')).toBeGreaterThan(0);
    // the probe flag and the qualifying pairs (SPEC 1.4) came along
    expect(await count(client, 'netflix_dw', 'fact_qualifying')).toBeGreaterThan(0);
    const {rows: probe} = await client.query<{n: string}>('SELECT count(*) AS n FROM netflix_dw.fact_ratings WHERE is_probe');
    expect(Number(probe[0].n)).toBeGreaterThan(0);
    expect(summary.tables.map((t) => [t.table, t.rows])).toEqual(
      // in load order: the small tables, the fact table, then the aggregate tables (on a lane of the index builds)
      await Promise.all(EXPORT_TABLES.map(async (t) => [t.name, Number((await queryDuckDB(small, `SELECT count(*) AS n FROM ${t.name}`))[0].n)])).then((r) => {
        const aggregate = ([n]: (string | number)[]) => String(n).startsWith('agg_');
        return [...r.filter((t) => t[0] !== 'fact_ratings' && !aggregate(t)), ...r.filter(([n]) => n === 'fact_ratings'), ...r.filter(aggregate)];
      }),
    );
    expect(summary.tables.find((t) => t.table === 'fact_ratings')).toMatchObject({streams: 2, freeze: false});
    expect(summary.tables.find((t) => t.table === 'dim_movie')).toMatchObject({streams: 1, freeze: true});
    expect(Object.keys(summary.reconciled)).toHaveLength(EXPORT_TABLES.length);
    expect(summary).toMatchObject({schema: 'netflix_dw', replacedPrevious: false, removedLeftovers: []});
    // the test server runs on this machine: two lanes leave a spare core each only from 4 cores up
    expect(summary).toMatchObject({indexLanes: 2, parallelIndexWorkers: availableParallelism() >= 4});
    expect(await schemas(client)).toEqual(['netflix_dw']);
  });

  it('stores titles as UTF-8 text: accented letters, quotes, commas and NULLs arrive intact', async () => {
    const t = await transform({
      'combined_data_1.txt': '1:\n5,3,2005-01-01\n2:\n5,4,2005-01-02\n3:\n6,5,2005-01-03\n',
      'movie_titles.csv': '1,2003,Pokémon: The "First" Movie, Noël\n2,NULL,Amélie\n',
    });
    const db = await createTestDatabase();
    await runPgExport({db: t.db, url: db.url, schema: 'netflix_dw', jobs: 2});
    const client = await db.connect();
    const {rows} = await client.query('SELECT movie_id, title, release_year, length(title) AS letters FROM netflix_dw.dim_movie ORDER BY movie_id');
    expect(rows).toEqual([
      {movie_id: 1, title: 'Pokémon: The "First" Movie, Noël', release_year: 2003, letters: 32},
      {movie_id: 2, title: 'Amélie', release_year: null, letters: 6},
      {movie_id: 3, title: null, release_year: null, letters: null},
    ]);
  });

  it('builds the keys, unique keys, foreign keys, CHECK, NOT NULLs, indexes and views of the contract', async () => {
    const db = await createTestDatabase();
    await runPgExport({db: small, url: db.url, schema: 'netflix_dw', jobs: 1});
    const client = await db.connect();
    const constraints = await client.query<{table: string; type: string; definition: string}>(`
      SELECT c.conrelid::regclass::text AS table, c.contype AS type, pg_get_constraintdef(c.oid) AS definition
      FROM pg_constraint AS c JOIN pg_namespace AS n ON n.oid = c.connamespace
      WHERE n.nspname = 'netflix_dw' AND c.contype <> 'n' ORDER BY 1, 2, 3`); // PostgreSQL 18 lists NOT NULLs too: checked below
    expect(constraints.rows.map((r) => `${r.table.replace('netflix_dw.', '')} ${r.type} ${r.definition}`)).toEqual([
      'agg_customer_year f FOREIGN KEY (customer_key) REFERENCES netflix_dw.dim_customer(customer_key)',
      'agg_customer_year p PRIMARY KEY (customer_key, year)',
      'agg_date f FOREIGN KEY (date_key) REFERENCES netflix_dw.dim_date(date_key)',
      'agg_date p PRIMARY KEY (date_key)',
      'agg_movie f FOREIGN KEY (movie_key) REFERENCES netflix_dw.dim_movie(movie_key)',
      'agg_movie p PRIMARY KEY (movie_key)',
      'agg_movie_month f FOREIGN KEY (movie_key) REFERENCES netflix_dw.dim_movie(movie_key)',
      'agg_movie_month p PRIMARY KEY (movie_key, month_key)',
      'dim_customer p PRIMARY KEY (customer_key)',
      'dim_customer u UNIQUE (customer_id)',
      'dim_date p PRIMARY KEY (date_key)',
      'dim_movie p PRIMARY KEY (movie_key)',
      'dim_movie u UNIQUE (movie_id)',
      'etl_run p PRIMARY KEY (run_id)',
      'fact_ratings c CHECK (((rating >= 1) AND (rating <= 5)))',
      'fact_ratings f FOREIGN KEY (customer_key) REFERENCES netflix_dw.dim_customer(customer_key)',
      'fact_ratings f FOREIGN KEY (date_key) REFERENCES netflix_dw.dim_date(date_key)',
      'fact_ratings f FOREIGN KEY (movie_key) REFERENCES netflix_dw.dim_movie(movie_key)',
      'fact_ratings p PRIMARY KEY (rating_key)',
      'fact_ratings u UNIQUE (customer_key, movie_key)',
      'fact_qualifying f FOREIGN KEY (customer_key) REFERENCES netflix_dw.dim_customer(customer_key)',
      'fact_qualifying f FOREIGN KEY (date_key) REFERENCES netflix_dw.dim_date(date_key)',
      'fact_qualifying f FOREIGN KEY (movie_key) REFERENCES netflix_dw.dim_movie(movie_key)',
      'fact_qualifying p PRIMARY KEY (qualifying_key)',
      'fact_qualifying u UNIQUE (customer_key, movie_key)',
      'rejects p PRIMARY KEY (source_file, line_number)',
      "source_file c CHECK ((kind = ANY (ARRAY['ratings'::text, 'titles'::text, 'probe'::text, 'qualifying'::text])))",
      'source_file p PRIMARY KEY (run_id, path)',
    ].sort());
    const indexes = await client.query<{indexdef: string}>("SELECT indexdef FROM pg_indexes WHERE schemaname = 'netflix_dw' AND tablename = 'fact_ratings' ORDER BY 1");
    expect(indexes.rows.map((r) => r.indexdef)).toEqual(
      expect.arrayContaining([
        'CREATE INDEX fact_ratings_date_key_idx ON netflix_dw.fact_ratings USING btree (date_key)',
        'CREATE INDEX fact_ratings_movie_key_idx ON netflix_dw.fact_ratings USING btree (movie_key)',
      ]),
    );
    const nullable = await client.query<{column: string}>(`
      SELECT table_name || '.' || column_name AS column FROM information_schema.columns
      WHERE table_schema = 'netflix_dw' AND is_nullable = 'YES' AND table_name IN ('dim_date', 'dim_movie', 'dim_customer', 'fact_ratings', 'fact_qualifying') ORDER BY 1`);
    expect(nullable.rows.map((r) => r.column)).toEqual(['dim_movie.release_year', 'dim_movie.title']);
    const types = await client.query<{column: string; type: string}>(`
      SELECT column_name AS column, data_type AS type FROM information_schema.columns
      WHERE table_schema = 'netflix_dw' AND column_name IN ('avg_rating', 'title', 'rating_key', 'rating') AND table_name IN ('dim_customer', 'dim_movie', 'fact_ratings') ORDER BY 1`);
    expect(types.rows).toEqual([
      {column: 'avg_rating', type: 'double precision'},
      {column: 'rating', type: 'smallint'},
      {column: 'rating_key', type: 'bigint'},
      {column: 'title', type: 'text'},
    ]);
    // the views read the aggregates, and return what the same views written over fact_ratings return
    await client.query(`CREATE VIEW netflix_dw.fact_daily AS
      SELECT d.date_key, d.date_actual, count(*) AS rating_count, avg(CAST(f.rating AS DOUBLE PRECISION)) AS avg_rating
      FROM netflix_dw.fact_ratings AS f JOIN netflix_dw.dim_date AS d ON d.date_key = f.date_key GROUP BY d.date_key, d.date_actual`);
    await client.query(`CREATE VIEW netflix_dw.fact_movie AS
      SELECT m.movie_key, m.movie_id, m.title, m.release_year, count(f.rating_key) AS rating_count, avg(CAST(f.rating AS DOUBLE PRECISION)) AS avg_rating,
          min(d.date_actual) AS first_rating_date, max(d.date_actual) AS last_rating_date
      FROM netflix_dw.dim_movie AS m LEFT JOIN netflix_dw.fact_ratings AS f ON f.movie_key = m.movie_key
      LEFT JOIN netflix_dw.dim_date AS d ON d.date_key = f.date_key GROUP BY m.movie_key, m.movie_id, m.title, m.release_year`);
    for (const [view, overFacts] of [
      ['v_daily_rating_summary', 'fact_daily'],
      ['v_movie_performance', 'fact_movie'],
    ]) {
      const {rows} = await client.query<{differing: string; total: string}>(`SELECT
          (SELECT count(*) FROM ((TABLE netflix_dw.${view} EXCEPT ALL TABLE netflix_dw.${overFacts}) UNION ALL (TABLE netflix_dw.${overFacts} EXCEPT ALL TABLE netflix_dw.${view})) AS d) AS differing,
          (SELECT count(*) FROM netflix_dw.${view}) AS total`);
      expect(rows[0], view).toMatchObject({differing: '0'});
      expect(Number(rows[0].total), view).toBeGreaterThan(20);
      const plan = await client.query<{'QUERY PLAN': string}>(`EXPLAIN SELECT * FROM netflix_dw.${view}`);
      expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n'), view).not.toContain('fact_ratings');
    }
    // the views answer as DuckDB's do
    for (const [view, key] of [
      ['v_daily_rating_summary', 'date_key'],
      ['v_movie_performance', 'movie_key'],
    ]) {
      const fromPg = await client.query({text: `SELECT * FROM netflix_dw.${view} ORDER BY ${key}`, rowMode: 'array'});
      const fromDuckDB = await queryDuckDB(small, `SELECT * FROM ${view} ORDER BY ${key}`);
      expect(fromPg.rows.map((r: unknown[]) => r.map((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v)))).toEqual(
        fromDuckDB.map((r) => Object.values(r)),
      );
    }
  });

  it('replaces the previous load as a whole, keeps its grants, and leaves no staging schema', async () => {
    const db = await createTestDatabase();
    const client = await db.connect();
    const reader = `nfx_reader_${randomBytes(4).toString('hex')}`;
    await client.query(`CREATE ROLE ${reader}`);
    try {
      await runPgExport({db: other, url: db.url, schema: 'netflix_dw', jobs: 2});
      await client.query(`GRANT USAGE ON SCHEMA netflix_dw TO ${reader}; GRANT SELECT ON netflix_dw.fact_ratings, netflix_dw.v_movie_performance TO ${reader}`);
      const summary = await runPgExport({db: small, url: db.url, schema: 'netflix_dw', jobs: 3});
      expect(summary).toMatchObject({replacedPrevious: true, grantsCarriedOver: 3});
      expect(await pgTable(client, 'netflix_dw', 'fact_ratings')).toEqual(await duckdbTable(small, 'fact_ratings'));
      const privileges = await client.query(
        `SELECT has_schema_privilege($1, 'netflix_dw', 'USAGE') AS usage, has_table_privilege($1, 'netflix_dw.fact_ratings', 'SELECT') AS facts,
                has_table_privilege($1, 'netflix_dw.v_movie_performance', 'SELECT') AS view, has_table_privilege($1, 'netflix_dw.dim_movie', 'SELECT') AS movies`,
        [reader],
      );
      expect(privileges.rows).toEqual([{usage: true, facts: true, view: true, movies: false}]);
      // the same export again gives the same rows
      const before = await Promise.all(EXPORT_TABLES.filter((t) => t.name !== 'etl_run').map((t) => pgTable(client, 'netflix_dw', t.name)));
      await runPgExport({db: small, url: db.url, schema: 'netflix_dw', jobs: 1});
      expect(await Promise.all(EXPORT_TABLES.filter((t) => t.name !== 'etl_run').map((t) => pgTable(client, 'netflix_dw', t.name)))).toEqual(before);
      expect(await schemas(client)).toEqual(['netflix_dw']);
    } finally {
      await client.query(`DROP OWNED BY ${reader}; DROP ROLE ${reader}`);
    }
  });

  it('swaps without waiting for readers of the previous load, and drops it once they are done', async () => {
    const db = await createTestDatabase();
    await runPgExport({db: other, url: db.url, schema: 'netflix_dw', jobs: 2});
    const reader = await db.connect();
    const watcher = await db.connect();
    const facts = 'SELECT count(*)::int AS n FROM netflix_dw.fact_ratings';
    const previousRows = (await reader.query(facts)).rows[0].n;
    await reader.query('BEGIN');
    expect((await reader.query(facts)).rows[0].n).toBe(previousRows); // holds a lock on the previous load until COMMIT
    const exporting = runPgExport({db: small, url: db.url, schema: 'netflix_dw', jobs: 2});
    const newRows = Number((await queryDuckDB(small, 'SELECT count(*) AS n FROM fact_ratings'))[0].n);
    for (let published = false; !published; await new Promise((r) => setTimeout(r, 20))) {
      published = (await watcher.query("SELECT obj_description('netflix_dw'::regnamespace) LIKE '%' || $1 || '%' AS p", [small])).rows[0].p === true;
    }
    // the new load is there for everyone while the old reader still holds the previous one
    expect((await watcher.query(facts)).rows[0].n).toBe(newRows);
    expect((await schemas(watcher)).filter((s) => s.startsWith('nfx_retired_'))).toHaveLength(1);
    await reader.query('COMMIT');
    await exporting;
    expect(await schemas(watcher)).toEqual(['netflix_dw']);
  });

  it('leaves the fact table all-visible and checks foreign keys by index merge, or by hash joins when an older transaction is open', async () => {
    const db = await createTestDatabase();
    const client = await db.connect();
    const visibility = "SELECT relallvisible, relpages FROM pg_class WHERE oid = 'netflix_dw.fact_ratings'::regclass";
    const foreignKeys = "SELECT count(*)::int AS n FROM pg_constraint WHERE conrelid = 'netflix_dw.fact_ratings'::regclass AND contype = 'f' AND convalidated";
    // a transaction open in another database (other tests, other applications) must not get in the way
    const elsewhere = await (await createTestDatabase()).connect();
    await elsewhere.query('BEGIN');
    await elsewhere.query('SELECT txid_current()');
    const first = await runPgExport({db: small, url: db.url, schema: 'netflix_dw', jobs: 2});
    await elsewhere.query('COMMIT');
    expect(first.foreignKeyCheck).toBe('index-merge');
    // every page holding rows is all-visible (COPY may leave a few pages it added ahead empty: never marked)
    const [pages] = (await client.query(visibility)).rows;
    const used = (await client.query('SELECT count(DISTINCT (ctid::text::point)[0])::int AS n FROM netflix_dw.fact_ratings')).rows[0].n;
    expect(used).toBeGreaterThan(10);
    expect(pages.relallvisible).toBeGreaterThanOrEqual(used);
    expect((await client.query(foreignKeys)).rows[0].n).toBe(3);

    // a snapshot taken before the next load: VACUUM may not mark the new rows visible to everyone
    const old = await db.connect();
    await old.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await old.query('SELECT count(*) FROM pg_class');
    const second = await runPgExport({db: small, url: db.url, schema: 'netflix_dw', jobs: 2, full: true});
    await old.query('COMMIT');
    expect(second.foreignKeyCheck).toBe('default');
    expect((await client.query(visibility)).rows[0].relallvisible).toBe(0);
    expect((await client.query(foreignKeys)).rows[0].n).toBe(3);
    expect(await count(client, 'netflix_dw', 'fact_ratings')).toBe(Number((await queryDuckDB(small, 'SELECT count(*) AS n FROM fact_ratings'))[0].n));
  });

  it('loads a larger data set over three connections with equal counts and sums', async () => {
    const larger = await generatedWarehouse({ratings: '300000', seed: '7'});
    const db = await createTestDatabase();
    const summary = await runPgExport({db: larger, url: db.url, schema: 'big', jobs: 3});
    const client = await db.connect();
    const sums = 'count(*) AS n, sum(rating_key) AS keys, sum(customer_key) AS customers, sum(movie_key) AS movies, sum(date_key) AS dates, sum(rating) AS ratings';
    const [fromPg] = (await client.query(`SELECT ${sums} FROM big.fact_ratings`)).rows;
    const [fromDuckDB] = await queryDuckDB(larger, `SELECT ${sums} FROM fact_ratings`);
    expect(Object.values(fromPg).map(Number)).toEqual(Object.values(fromDuckDB).map(Number));
    expect(fromDuckDB.n).toBe(300_000);
    expect(summary.tables.find((t) => t.table === 'fact_ratings')).toMatchObject({rows: 300_000, streams: 3});
    expect(summary).toMatchObject({indexLanes: 3, parallelIndexWorkers: availableParallelism() >= 6});
    expect(await count(client, 'big', 'dim_customer')).toBe(Number((await queryDuckDB(larger, 'SELECT count(*) AS n FROM dim_customer'))[0].n));
  });

  it('quotes a schema name with quotes, spaces and a semicolon, and never runs it', async () => {
    const db = await createTestDatabase();
    const name = 'my "dw"; DROP SCHEMA public CASCADE; --';
    await runPgExport({db: small, url: db.url, schema: name, jobs: 2});
    await runPgExport({db: small, url: db.url, schema: name, jobs: 2});
    const client = await db.connect();
    expect(await schemas(client)).toEqual([name]);
    expect((await client.query("SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = 'public'")).rows).toEqual([{n: 1}]);
    expect(await pgTable(client, name, 'dim_movie')).toEqual(await duckdbTable(small, 'dim_movie'));
  });

  it('refuses to replace a schema holding objects it did not create, and leaves everything as it was', async () => {
    const db = await createTestDatabase();
    await runPgExport({db: other, url: db.url, schema: 'netflix_dw', jobs: 2});
    const client = await db.connect();
    await client.query('CREATE TABLE netflix_dw.my_notes (note TEXT)');
    await expect(runPgExport({db: small, url: db.url, schema: 'netflix_dw', jobs: 2})).rejects.toThrow(
      /schema "netflix_dw" holds or is used by objects nfx did not create \(table netflix_dw\.my_notes\)/,
    );
    await client.query('DROP TABLE netflix_dw.my_notes; CREATE VIEW public.top_movies AS SELECT movie_key FROM netflix_dw.dim_movie');
    // refused before anything was loaded: the run's log never gets to the load
    const log = join(tempDir('nfx-foreign-'), 'export.log');
    const cli = await runNfx(['export', '--db', small, '--url', db.url, '--log-file', log, '--quiet']);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/^nfx: error: schema "netflix_dw" holds or is used by objects nfx did not create \(view (public\.)?top_movies\)/);
    expect(readFileSync(log, 'utf8')).not.toMatch(/loading .* into staging schema/);
    expect(await pgTable(client, 'netflix_dw', 'fact_ratings')).toEqual(await duckdbTable(other, 'fact_ratings'));
    expect(await schemas(client)).toEqual(['netflix_dw']);
  });

  it('removes the staging schema an unfinished export left behind', async () => {
    const db = await createTestDatabase();
    const client = await db.connect();
    const {staging} = schemaNames('netflix_dw');
    await client.query(`CREATE SCHEMA ${staging}; CREATE TABLE ${staging}.fact_ratings (half_loaded INT)`);
    const summary = await runPgExport({db: small, url: db.url, schema: 'netflix_dw', jobs: 2});
    expect(summary.removedLeftovers).toEqual([staging]);
    expect(await schemas(client)).toEqual(['netflix_dw']);
  });

  it('counts a vacuumed fact table as all-visible but for the empty pages COPY left, and none all-visible as held back', () => {
    expect(mostlyAllVisible({pages: 129, allVisible: 128})).toBe(true);
    expect(mostlyAllVisible({pages: 129, allVisible: 109})).toBe(true);
    expect(mostlyAllVisible({pages: 1_000_000, allVisible: 995_000})).toBe(true);
    expect(mostlyAllVisible({pages: 1_000_000, allVisible: 950_000})).toBe(false);
    expect(mostlyAllVisible({pages: 129, allVisible: 0})).toBe(false);
    expect(mostlyAllVisible({pages: 0, allVisible: 0})).toBe(false);
  });

  it('names the table and both values when a checksum differs', () => {
    const expected = Object.fromEntries(EXPORT_TABLES.map((t) => [t.name, {rows: 2, checksum: '3/4'}])) as Parameters<typeof reconciliationMismatch>[0];
    expect(reconciliationMismatch(expected, {...expected})).toBeNull();
    expect(reconciliationMismatch(expected, {...expected, dim_customer: {rows: 2, checksum: '3/5'}})).toBe(
      'reconciliation failed for dim_customer: DuckDB has 2 rows (checksum 3/4), PostgreSQL has 2 rows (checksum 3/5)',
    );
  });
});
