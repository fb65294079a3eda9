import {DuckDBInstance, type DuckDBConnection} from '@duckdb/node-api';
import pg from 'pg';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {BinaryCopyEncoder} from '../../src/export/binary-copy.js';
import {copyStream} from '../../src/export/copy.js';
import type {ColumnKind, ExportColumn} from '../../src/export/tables.js';
import {createTestDatabase} from '../helpers/pg.js';

// The encoder and the COPY stream against a real server: every kind of column, NULLs, text and edge values.
const kinds: ExportColumn[] = (
  [
    ['i2', 'int2'],
    ['i4', 'int4'],
    ['i8', 'int8'],
    ['f8', 'float8'],
    ['b', 'bool'],
    ['d', 'date'],
    ['t', 'text'],
    ['ts', 'timestamptz'],
  ] as [string, ColumnKind][]
).map(([name, kind]) => ({name, kind}));

const pgTypes: Record<ColumnKind, string> = {
  int2: 'SMALLINT',
  int4: 'INTEGER',
  int8: 'BIGINT',
  float8: 'DOUBLE PRECISION',
  bool: 'BOOLEAN',
  date: 'DATE',
  text: 'TEXT',
  timestamptz: 'TIMESTAMPTZ',
};

let duckdb: DuckDBInstance;
let connection: DuckDBConnection;

beforeAll(async () => {
  duckdb = await DuckDBInstance.create(':memory:');
  connection = await duckdb.connect();
  await connection.run("SET TimeZone = 'UTC'");
  await connection.run(`CREATE TABLE edge (i2 SMALLINT, i4 INTEGER, i8 BIGINT, f8 DOUBLE, b BOOLEAN, d DATE, t VARCHAR, ts TIMESTAMPTZ)`);
  await connection.run(`INSERT INTO edge VALUES
    (1, 1, 1, 4.066666666666666, true, DATE '2005-12-31', 'Pokémon', TIMESTAMPTZ '2005-12-31 23:59:59.123456+00'),
    (-32768, -2147483648, -9007199254740991, -0.5, false, DATE '1999-11-11', '', TIMESTAMPTZ '1999-11-11 00:00:00+00'),
    (32767, 2147483647, 9007199254740991, 1e300, true, DATE '1970-01-01', 'a "quoted", comma\tand tab', TIMESTAMPTZ '2000-01-01 00:00:00+00'),
    (0, 0, 4294967296, 0, false, DATE '2000-01-01', '日本語 ✓ 𝄞', TIMESTAMPTZ '1970-01-01 00:00:00.000001+00'),
    (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    (5, NULL, 2147483648, NULL, true, NULL, 'Noël', NULL)`);
  // enough rows for several chunks and buffers, NULLs in some chunks only
  await connection.run(`CREATE TABLE many AS
    SELECT CAST(i % 5 + 1 AS SMALLINT) AS i2, CAST(i AS INTEGER) AS i4, CAST(i * 3 AS BIGINT) AS i8, i / 7.0 AS f8,
           i % 2 = 0 AS b, DATE '2000-01-01' + CAST(i % 3000 AS INTEGER) AS d,
           CASE WHEN i % 1000 = 0 THEN NULL ELSE 'movie ' || i END AS t, NULL::TIMESTAMPTZ AS ts
    FROM range(100000) AS r(i)`);
});

afterAll(() => {
  connection.closeSync();
  duckdb.closeSync();
});

async function roundTrip(select: string, columns: ExportColumn[] = kinds): Promise<{client: pg.Client; rows: number}> {
  const db = await createTestDatabase();
  const client = await db.connect();
  await client.query("SET TimeZone = 'UTC'");
  await client.query(`CREATE TABLE edge (${columns.map((c) => `${c.name} ${pgTypes[c.kind]}`).join(', ')})`);
  const result = await copyStream({
    duckdb: connection,
    select,
    columns,
    client,
    copy: `COPY edge (${columns.map((c) => c.name).join(', ')}) FROM STDIN (FORMAT binary)`,
  });
  return {client, rows: result.rows};
}

describe('binary COPY encoder', () => {
  it('writes the signature, flags, header extension, one row and the trailer', () => {
    const encoder = new BinaryCopyEncoder([{name: 'x', kind: 'int4'}]);
    encoder.end();
    const [buffer] = encoder.take();
    expect(buffer.toString('latin1', 0, 11)).toBe('PGCOPY\n\xff\r\n\0');
    expect([...buffer.subarray(11)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]);
  });

  it('carries every column kind, NULLs and edge values exactly', async () => {
    const {client, rows} = await roundTrip('SELECT * FROM edge');
    expect(rows).toBe(6);
    const result = await client.query(
      `SELECT i2, i4, i8::text AS i8, f8, b, d::text AS d, t, to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS ts FROM edge ORDER BY i4 NULLS LAST, i2 NULLS LAST`,
    );
    expect(result.rows).toEqual([
      {i2: -32768, i4: -2147483648, i8: '-9007199254740991', f8: -0.5, b: false, d: '1999-11-11', t: '', ts: '1999-11-11 00:00:00.000000'},
      {i2: 0, i4: 0, i8: '4294967296', f8: 0, b: false, d: '2000-01-01', t: '日本語 ✓ 𝄞', ts: '1970-01-01 00:00:00.000001'},
      {i2: 1, i4: 1, i8: '1', f8: 4.066666666666666, b: true, d: '2005-12-31', t: 'Pokémon', ts: '2005-12-31 23:59:59.123456'},
      {i2: 32767, i4: 2147483647, i8: '9007199254740991', f8: 1e300, b: true, d: '1970-01-01', t: 'a "quoted", comma\tand tab', ts: '2000-01-01 00:00:00.000000'},
      {i2: 5, i4: null, i8: '2147483648', f8: null, b: true, d: null, t: 'Noël', ts: null},
      {i2: null, i4: null, i8: null, f8: null, b: null, d: null, t: null, ts: null},
    ]);
  });

  it('streams many chunks and buffers without losing or reordering a value', async () => {
    const {client, rows} = await roundTrip('SELECT * FROM many');
    expect(rows).toBe(100_000);
    const {rows: sums} = await client.query(`SELECT count(*)::int AS n, sum(i2)::int AS i2, sum(i4)::bigint::text AS i4, sum(i8)::text AS i8,
      sum(i4 * 3 - i8)::int AS mismatched, count(t)::int AS texts, sum(length(t))::int AS text_length,
      sum((d - DATE '2000-01-01') - i4 % 3000)::int AS date_drift, count(*) FILTER (WHERE b <> (i4 % 2 = 0))::int AS bool_drift,
      max(abs(f8 - i4 / 7.0)) AS f8_drift FROM edge`);
    const [expected] = (
      await connection.runAndReadAll(`SELECT CAST(sum(i2) AS INTEGER), CAST(sum(i4) AS VARCHAR), CAST(sum(i8) AS VARCHAR), CAST(count(t) AS INTEGER), CAST(sum(length(t)) AS INTEGER) FROM many`)
    ).getRows();
    expect(sums[0]).toEqual({
      n: 100_000,
      i2: expected[0],
      i4: expected[1],
      i8: expected[2],
      mismatched: 0,
      texts: expected[3],
      text_length: expected[4],
      date_drift: 0,
      bool_drift: 0,
      f8_drift: 0,
    });
  });

  it('fails with the server\'s error, and the connection stays usable, when a row breaks a constraint', async () => {
    const db = await createTestDatabase();
    const client = await db.connect();
    await client.query('CREATE TABLE small (x SMALLINT CHECK (x < 5))');
    const columns: ExportColumn[] = [{name: 'x', kind: 'int2'}];
    await expect(copyStream({duckdb: connection, select: 'SELECT i2 FROM many', columns, client, copy: 'COPY small (x) FROM STDIN (FORMAT binary)'})).rejects.toThrow(
      /violates check constraint/,
    );
    expect((await client.query('SELECT count(*)::int AS n FROM small')).rows).toEqual([{n: 0}]);
  });
});
