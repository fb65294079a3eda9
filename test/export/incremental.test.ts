import type {ChildProcess} from 'node:child_process';
import {copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import type pg from 'pg';
import {beforeAll, describe, expect, it} from 'vitest';
import {cheaperInFull, matchRuns} from '../../src/export/incremental.js';
import type {PgExportSummary, PgIncrementalSummary} from '../../src/export/postgres.js';
import {EXPORT_TABLES, EXPORT_VIEWS} from '../../src/export/tables.js';
import {fillSql, loadSql} from '../../src/sql.js';
import {runTransform} from '../../src/transforms/pipeline.js';
import {runNfx} from '../helpers/cli.js';
import {createTestDatabase} from '../helpers/pg.js';
import {tempDir} from '../helpers/tmp.js';
import {until} from '../helpers/until.js';
import {EXPORT_APPLICATION, exportCommand, exportGone, exportTo} from './cli-export.js';
import {duckdbTable, generatedData, pgTable} from './warehouses.js';
import '../transform/dataset.js'; // in-process transforms stay silent

type Summary = PgExportSummary | PgIncrementalSummary;

/**
 * The parts a warehouse grows by, as SPEC 4's appends bring them: a first load without the probe file, then
 * the fourth rating file with the probe file arriving late, then a file of another generated set (pairs
 * that beat stored ratings) with a changed title.
 */
let parts: {first: string; second: string; third: string};

beforeAll(async () => {
  const one = await generatedData({ratings: '30000', seed: '3', dirty: true});
  const two = await generatedData({ratings: '20000', seed: '4', dirty: true});
  const first = tempDir('nfx-incremental-');
  for (const name of ['combined_data_1.txt', 'combined_data_2.txt', 'combined_data_3.txt', 'movie_titles.csv', 'qualifying.txt']) copyFileSync(join(one, name), join(first, name));
  const second = tempDir('nfx-incremental-');
  for (const name of ['combined_data_4.txt', 'probe.txt']) copyFileSync(join(one, name), join(second, name));
  const third = tempDir('nfx-incremental-');
  copyFileSync(join(two, 'combined_data_1.txt'), join(third, 'combined_data_9.txt'));
  const titles = readFileSync(join(one, 'movie_titles.csv'), 'latin1').split('\n');
  titles[0] = titles[0].replace(/,[^,]*$/, ',A Title Changed Since');
  writeFileSync(join(third, 'movie_titles.csv'), Buffer.from(titles.join('\n'), 'latin1'));
  parts = {first, second, third};
}, 120_000);

/** A warehouse of the first part, at a path of its own. */
async function firstLoad(): Promise<string> {
  const dir = tempDir('nfx-incremental-db-');
  mkdirSync(dir, {recursive: true});
  const db = join(dir, 'netflix.duckdb');
  await runTransform({dataDir: parts.first, db, threads: 1, maxRejectRate: 1});
  return db;
}

const append = (db: string, dataDir: string) => runTransform({dataDir, db, threads: 1, maxRejectRate: 1, append: true});

async function exportJson(db: {url: string}, warehouse: string, ...args: string[]): Promise<Summary> {
  const result = await exportTo(db, warehouse, '--json', ...args);
  expect(result.code, result.stderr).toBe(0);
  return result.json<Summary>();
}

async function pgView(client: pg.Client, schema: string, view: string): Promise<string[]> {
  const {rows} = await client.query({text: `SELECT * FROM ${client.escapeIdentifier(schema)}.${view}`, rowMode: 'array'});
  return rows.map((r) => JSON.stringify(r)).sort();
}

/** Every table and view of two schemas, row for row. */
async function expectSameSchemas(client: pg.Client, schema: string, reference: string): Promise<void> {
  for (const table of EXPORT_TABLES) expect(await pgTable(client, schema, table.name), table.name).toEqual(await pgTable(client, reference, table.name));
  for (const view of EXPORT_VIEWS) expect(await pgView(client, schema, view), view).toEqual(await pgView(client, reference, view));
}

describe('nfx export --target pg, incremental', () => {
  it('applies appends (late probe file, beaten stored ratings, a changed title) so the schema equals a full export of the same warehouse, table by table', async () => {
    const db = await createTestDatabase();
    const client = await db.connect();
    const warehouse = await firstLoad();
    expect(await exportJson(db, warehouse)).toMatchObject({mode: 'full', fullReason: 'schema "netflix_dw" does not exist yet'});

    const storedFacts = (await duckdbTable(warehouse, 'fact_ratings')).length;
    await append(warehouse, parts.second);
    const second = (await exportJson(db, warehouse)) as PgIncrementalSummary;
    // the test server's role is a superuser: the new rows' foreign keys are checked as one set
    expect(second).toMatchObject({mode: 'incremental', upToDate: false, newFactKeys: 'set'});
    expect(second.runsApplied).toHaveLength(1);
    const facts = second.changes.find((c) => c.table === 'fact_ratings')!;
    // in the same export: the new rows (keys above the stored ones, the plain insert) and changed stored rows
    expect(facts.inserted).toBe((await duckdbTable(warehouse, 'fact_ratings')).length - storedFacts);
    expect(facts.updated).toBeGreaterThan(0); // beaten stored ratings and probe flags

    const summary = await append(warehouse, parts.third);
    expect(summary.titlesChanged).toBe(1);
    expect(summary.storedRatingsReplaced).toBeGreaterThan(0);
    const third = (await exportJson(db, warehouse)) as PgIncrementalSummary;
    expect(third).toMatchObject({mode: 'incremental', upToDate: false});
    expect(third.changes.find((c) => c.table === 'dim_movie')!.updated).toBeGreaterThanOrEqual(1);

    expect(await exportJson(db, warehouse, '--schema', 'reference')).toMatchObject({mode: 'full'});
    await expectSameSchemas(client, 'netflix_dw', 'reference');
    for (const table of EXPORT_TABLES) expect(await pgTable(client, 'netflix_dw', table.name), table.name).toEqual(await duckdbTable(warehouse, table.name));
  }, 180_000);

  it('leaves the foreign keys to their triggers where fact_ratings has a trigger of its own, which fires for every new row', async () => {
    const db = await createTestDatabase();
    const client = await db.connect();
    const warehouse = await firstLoad();
    await exportJson(db, warehouse);
    await client.query(`CREATE TABLE public.seen (rating_key bigint);
      CREATE FUNCTION public.note_rating() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN INSERT INTO public.seen VALUES (NEW.rating_key); RETURN NEW; END$$;
      CREATE TRIGGER note AFTER INSERT ON netflix_dw.fact_ratings FOR EACH ROW EXECUTE FUNCTION public.note_rating()`);
    await append(warehouse, parts.second);
    const second = (await exportJson(db, warehouse)) as PgIncrementalSummary;
    expect(second).toMatchObject({mode: 'incremental', newFactKeys: 'row'});
    const inserted = second.changes.find((c) => c.table === 'fact_ratings')!.inserted;
    expect(inserted).toBeGreaterThan(0);
    const {rows} = await client.query<{n: string}>('SELECT count(*) AS n FROM public.seen');
    expect(Number(rows[0].n)).toBe(inserted);
    for (const table of EXPORT_TABLES) expect(await pgTable(client, 'netflix_dw', table.name), table.name).toEqual(await duckdbTable(warehouse, table.name));
  });

  it('checks the new rows\' keys as one set: a key missing from its dimension fails as the foreign key would, naming it', async () => {
    const db = await createTestDatabase();
    const client = await db.connect();
    await client.query(`CREATE SCHEMA s;
      CREATE TABLE s.dim_customer (customer_key integer PRIMARY KEY); CREATE TABLE s.dim_movie (movie_key integer PRIMARY KEY);
      CREATE TABLE s.dim_date (date_key integer PRIMARY KEY);
      INSERT INTO s.dim_customer VALUES (1), (2); INSERT INTO s.dim_movie VALUES (7); INSERT INTO s.dim_date VALUES (20050101);
      CREATE TEMP TABLE new_fact_ratings (rating_key bigint, customer_key integer, movie_key integer, date_key integer);
      INSERT INTO new_fact_ratings VALUES (5, 1, 7, 20050101), (9, 2, 7, 20050101), (10, 2, 8, 20050101)`);
    const check = (storedMax: number): string => fillSql(loadSql('postgres', '77_new_facts_keys_checked'), {schema: '"s"', stored_max: storedMax});
    await client.query('BEGIN');
    await expect(client.query(check(5))).rejects.toMatchObject({code: '23503', message: 'insert or update on table "fact_ratings" violates foreign key constraint "fact_ratings_movie_key_fkey"'});
    await client.query('ROLLBACK');
    // the rows above the stored keys are the ones checked: with 10 stored, none is new
    await client.query('BEGIN');
    await client.query(check(10));
    expect((await client.query('SHOW session_replication_role')).rows[0].session_replication_role).toBe('replica');
    await client.query('ROLLBACK');
    expect((await client.query('SHOW session_replication_role')).rows[0].session_replication_role).toBe('origin');
  });

  it('applies several appends at once, and says up to date (still reconciled) when there is nothing to apply', async () => {
    const db = await createTestDatabase();
    const client = await db.connect();
    const warehouse = await firstLoad();
    await exportJson(db, warehouse);
    await append(warehouse, parts.second);
    await append(warehouse, parts.third);
    const both = (await exportJson(db, warehouse)) as PgIncrementalSummary;
    expect(both).toMatchObject({mode: 'incremental', upToDate: false});
    expect(both.runsApplied).toHaveLength(2);
    const again = await runNfx(...exportCommand(db, warehouse));
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/incremental, up to date \(it holds run \S+, the warehouse's last\)/);
    expect(again.stdout).toMatch(/reconciled: row counts of all 12 tables and checksums of the changed rows equal DuckDB's/);
    for (const table of EXPORT_TABLES) expect(await pgTable(client, 'netflix_dw', table.name), table.name).toEqual(await duckdbTable(warehouse, table.name));
  });

  it('exports in full, saying why, into a schema of another warehouse, after a full transform since, with a column dropped by hand, and with --full', async () => {
    const db = await createTestDatabase();
    const client = await db.connect();
    const warehouse = await firstLoad();
    const other = await firstLoad();
    await exportJson(db, other);
    await append(warehouse, parts.second);
    expect(await exportJson(db, warehouse)).toMatchObject({mode: 'full', fullReason: expect.stringMatching(/^schema "netflix_dw" holds another warehouse \(.*, run \S+\)$/)});

    await client.query('ALTER TABLE netflix_dw.dim_movie DROP COLUMN release_year CASCADE');
    expect(await exportJson(db, warehouse)).toMatchObject({mode: 'full', fullReason: 'schema "netflix_dw" was changed by hand (dim_movie.release_year is missing)'});

    expect(await exportJson(db, warehouse, '--full')).toMatchObject({mode: 'full', fullReason: '--full'});

    await runTransform({dataDir: parts.first, db: warehouse, threads: 1, maxRejectRate: 1});
    expect(await exportJson(db, warehouse)).toMatchObject({mode: 'full', fullReason: expect.stringMatching(/^a full transform replaced the warehouse since schema "netflix_dw" was exported/)});
    for (const table of EXPORT_TABLES) expect(await pgTable(client, 'netflix_dw', table.name), table.name).toEqual(await duckdbTable(warehouse, table.name));
  });

  it('rolls back an incremental export that does not reconcile (a row deleted by hand) and exports in full', async () => {
    const db = await createTestDatabase();
    const client = await db.connect();
    const warehouse = await firstLoad();
    await exportJson(db, warehouse);
    // a day no row refers to, outside what the append changes
    await client.query(
      'DELETE FROM netflix_dw.dim_date AS d WHERE d.date_key = (SELECT min(date_key) FROM netflix_dw.dim_date AS u WHERE NOT EXISTS (SELECT 1 FROM netflix_dw.fact_ratings AS f WHERE f.date_key = u.date_key) AND NOT EXISTS (SELECT 1 FROM netflix_dw.fact_qualifying AS q WHERE q.date_key = u.date_key) AND NOT EXISTS (SELECT 1 FROM netflix_dw.agg_date AS a WHERE a.date_key = u.date_key))',
    );
    await append(warehouse, parts.second);
    const summary = await exportJson(db, warehouse);
    expect(summary).toMatchObject({mode: 'full', fullReason: expect.stringMatching(/^the incremental export did not reconcile \(dim_date has \d+ rows in PostgreSQL after the apply, \d+ in DuckDB\) and was rolled back$/)});
    for (const table of EXPORT_TABLES) expect(await pgTable(client, 'netflix_dw', table.name), table.name).toEqual(await duckdbTable(warehouse, table.name));
  });

  it('catches a fact row inserted by hand above every key of the warehouse (outside the scope): rolled back, exported in full', async () => {
    const db = await createTestDatabase();
    const client = await db.connect();
    const warehouse = await firstLoad();
    await exportJson(db, warehouse);
    await append(warehouse, parts.second);
    // a (customer, movie) pair the appended warehouse does not hold, under a rating_key above all of its keys:
    // the new rows of the append then fall at or below the target's largest key, on the upsert path
    const pairs = new Set((await duckdbTable(warehouse, 'fact_ratings')).map((r) => `${Number(r[1])}/${Number(r[2])}`));
    const {rows: candidates} = await client.query<{c: number; m: number; d: number}>(
      'SELECT c.customer_key::float8 AS c, m.movie_key::float8 AS m, (SELECT min(date_key) FROM netflix_dw.dim_date)::float8 AS d FROM (SELECT customer_key FROM netflix_dw.dim_customer ORDER BY customer_key LIMIT 3) AS c CROSS JOIN netflix_dw.dim_movie AS m',
    );
    const free = candidates.find((p) => !pairs.has(`${p.c}/${p.m}`))!;
    await client.query('INSERT INTO netflix_dw.fact_ratings VALUES (1000000000, $1, $2, $3, 3, false)', [free.c, free.m, free.d]);
    const summary = await exportJson(db, warehouse);
    expect(summary).toMatchObject({
      mode: 'full',
      fullReason: expect.stringMatching(/^the incremental export did not reconcile \(fact_ratings has \d+ rows in PostgreSQL after the apply, \d+ in DuckDB\) and was rolled back$/),
    });
    for (const table of EXPORT_TABLES) expect(await pgTable(client, 'netflix_dw', table.name), table.name).toEqual(await duckdbTable(warehouse, table.name));
  });

  it('leaves the schema as it was when killed mid-apply, and the next export applies the changes', async () => {
    const db = await createTestDatabase();
    const client = await db.connect();
    const warehouse = await firstLoad();
    await exportJson(db, warehouse);
    const before = join(tempDir('nfx-incremental-before-'), 'netflix.duckdb');
    cpSync(warehouse, before);
    await append(warehouse, parts.second);
    // a reader's lock on an aggregate table holds the apply after it has changed the dimensions and facts
    const reader = await db.connect();
    await reader.query('BEGIN');
    await reader.query('LOCK TABLE netflix_dw.agg_movie IN ACCESS EXCLUSIVE MODE');
    let child: ChildProcess | undefined;
    const [args, options] = exportCommand(db, warehouse, '--quiet');
    const running = runNfx(args, {...options, onSpawn: (c) => (child = c)});
    const waiting = async () =>
      (
        await client.query<{n: number}>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND wait_event_type = 'Lock'",
          [EXPORT_APPLICATION],
        )
      ).rows[0].n > 0;
    expect(await until(waiting)).toBe(true);
    child!.kill('SIGKILL');
    expect((await running).signal).toBe('SIGKILL');
    await reader.query('COMMIT');
    expect(await until(exportGone(client))).toBe(true);
    for (const table of EXPORT_TABLES) expect(await pgTable(client, 'netflix_dw', table.name), table.name).toEqual(await duckdbTable(before, table.name));
    expect(await exportJson(db, warehouse)).toMatchObject({mode: 'incremental', upToDate: false});
    for (const table of EXPORT_TABLES) expect(await pgTable(client, 'netflix_dw', table.name), table.name).toEqual(await duckdbTable(warehouse, table.name));
  });
});

describe('matchRuns', () => {
  const where = {schema: 's', targetPath: '/w.duckdb', warehousePath: '/w.duckdb'};
  const runs = [
    {id: 'a', mode: 'full', logged: false},
    {id: 'b', mode: 'append', logged: true},
    {id: 'c', mode: 'append', logged: true},
  ];

  it('is incremental when the target holds the first runs, and names the runs it lacks', () => {
    expect(matchRuns(['a'], runs, where)).toEqual({mode: 'incremental', fromRun: 'a', runs: ['b', 'c']});
    expect(matchRuns(['a', 'b', 'c'], runs, where)).toEqual({mode: 'incremental', fromRun: 'c', runs: []});
  });

  it('is full when the target has runs the warehouse lacks, or a run since kept no change log', () => {
    expect(matchRuns(['a', 'x'], runs, where)).toMatchObject({mode: 'full', reason: 'schema "s" holds runs the warehouse lacks (x)'});
    expect(matchRuns(['a', 'b', 'c', 'd'], runs, where)).toMatchObject({mode: 'full', reason: 'schema "s" holds runs the warehouse lacks (d)'});
    expect(matchRuns(['a'], [runs[0], {id: 'b', mode: 'append', logged: false}], where)).toMatchObject({mode: 'full', reason: expect.stringMatching(/^run b of the warehouse kept no change log/)});
  });
});

describe('cheaperInFull', () => {
  it('keeps an incremental export up to 5 % of the fact rows changed, or on a fact table under a million rows', () => {
    expect(cheaperInFull(500_000, 10_000_000)).toBeNull();
    expect(cheaperInFull(90_000, 100_000)).toBeNull();
  });

  it('exports in full beyond 5 %, saying how much changed', () => {
    expect(cheaperInFull(998_935, 10_998_935)).toEqual({mode: 'full', reason: 'the appends since changed 998935 of 10998935 fact rows (9.1 %, more than 5 %): a full export is cheaper'});
  });
});
