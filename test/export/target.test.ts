import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import pg from 'pg';
import {describe, expect, it} from 'vitest';
import {resolveTarget, serverOnThisMachine, tlsOptions} from '../../src/export/connection.js';
import {keyRanges, lanesFillServer} from '../../src/export/postgres.js';
import {schemaNames} from '../../src/export/publish.js';
import {tempDir} from '../helpers/tmp.js';

describe('connection settings', () => {
  it('takes --url first, then DATABASE_URL, then the PG* variables', () => {
    const env = {DATABASE_URL: 'postgres://env@envhost:5433/envdb', PGHOST: 'pghost', PGDATABASE: 'pgdb', PGPORT: '5434'};
    expect(resolveTarget('postgres://u@urlhost:5432/urldb', env)).toMatchObject({source: '--url', display: 'urlhost:5432/urldb'});
    expect(resolveTarget(undefined, env)).toMatchObject({source: 'DATABASE_URL', display: 'envhost:5433/envdb'});
    // node-postgres reads PG* from process.env itself
    const saved = {...process.env};
    Object.assign(process.env, {PGHOST: 'pghost', PGDATABASE: 'pgdb', PGPORT: '5434'});
    try {
      expect(resolveTarget(undefined, {})).toMatchObject({source: 'PG* variables', display: 'pghost:5434/pgdb'});
    } finally {
      for (const key of ['PGHOST', 'PGDATABASE', 'PGPORT']) if (saved[key] === undefined) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });

  it('never shows the password in what it displays', () => {
    const target = resolveTarget('postgres://alice:s3cret-pw@db.example.com:6543/netflix?sslmode=require');
    expect(target.display).toBe('db.example.com:6543/netflix');
    expect(JSON.stringify(target)).not.toContain('s3cret-pw');
  });

  it('reads sslmode from the URL before PGSSLMODE, and defaults to prefer like libpq', () => {
    expect(resolveTarget('postgres://h/db?sslmode=require', {PGSSLMODE: 'disable'}).sslmode).toBe('require');
    expect(resolveTarget('postgres://h/db', {PGSSLMODE: 'verify-full'}).sslmode).toBe('verify-full');
    expect(resolveTarget('postgres://h/db', {}).sslmode).toBe('prefer');
  });

  it('refuses what is not a postgres URL or not an sslmode, in one line', () => {
    expect(() => resolveTarget('mysql://h/db')).toThrow(/must be a connection URL starting with postgres:\/\//);
    expect(() => resolveTarget('postgres://h/db?sslmode=maybe')).toThrow(/sslmode maybe is not one of disable, allow, prefer, require, verify-ca, verify-full/);
  });

  it('maps sslmode as libpq does: require encrypts without verifying, verify-full checks chain and host name', () => {
    expect(tlsOptions('disable', {})).toEqual({mode: 'off', ssl: false});
    expect(tlsOptions('prefer', {})).toEqual({mode: 'optional', ssl: {rejectUnauthorized: false}});
    expect(tlsOptions('require', {})).toEqual({mode: 'required', ssl: {rejectUnauthorized: false}});
    expect(tlsOptions('verify-full', {})).toEqual({mode: 'required', ssl: {}});
    const ca = join(tempDir(), 'root.crt');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const verifyFull = tlsOptions('verify-full', {rootcert: ca});
    expect(verifyFull).toEqual({mode: 'required', ssl: {ca: expect.stringContaining('BEGIN CERTIFICATE')}});
    // require with a root certificate verifies the chain (libpq: as verify-ca), not the host name
    const requireWithCa = tlsOptions('require', {rootcert: ca}).ssl as {ca: string; checkServerIdentity: () => undefined; rejectUnauthorized?: boolean};
    expect(requireWithCa.ca).toContain('BEGIN CERTIFICATE');
    expect(requireWithCa.rejectUnauthorized).toBeUndefined();
    expect(requireWithCa.checkServerIdentity()).toBeUndefined();
    expect(() => tlsOptions('verify-ca', {})).toThrow(/verify-ca needs the server's CA certificate: add sslrootcert=/);
    expect(() => tlsOptions('verify-full', {rootcert: join(tempDir(), 'missing.crt')})).toThrow(/cannot read sslrootcert .*missing\.crt: ENOENT/);
  });
});

describe('index builds', () => {
  it('knows a server is on this machine by a socket path, localhost or a loopback address', () => {
    const local = (settings: pg.ClientConfig): boolean => serverOnThisMachine(new pg.Client(settings));
    expect(local({host: '/var/run/postgresql'})).toBe(true);
    expect(local({connectionString: 'postgres://u@%2Ftmp%2Fpg/db'})).toBe(true);
    expect(local({host: 'localhost'})).toBe(true);
    expect(local({connectionString: 'postgres://u@127.0.0.1:5432/db'})).toBe(true);
    expect(local({connectionString: 'postgres://u@127.4.5.6/db'})).toBe(true);
    expect(local({connectionString: 'postgres://u@[::1]:5432/db'})).toBe(true);
    expect(local({}), 'libpq and node-postgres default to localhost').toBe(true);
    expect(local({connectionString: 'postgres://u@db.example.com/db'})).toBe(false);
    expect(local({connectionString: 'postgres://u@10.0.0.5/db'})).toBe(false);
    expect(local({connectionString: 'postgres://u@127.example.com/db'})).toBe(false);
    expect(local({connectionString: 'postgres://u@[fe80::1]/db'})).toBe(false);
  });

  it('builds without parallel workers only when the lanes leave no spare core per lane on a server here', () => {
    expect(lanesFillServer(2, {onThisMachine: true, cores: 2})).toBe(true);
    expect(lanesFillServer(2, {onThisMachine: true, cores: 3})).toBe(true);
    expect(lanesFillServer(5, {onThisMachine: true, cores: 8})).toBe(true);
    expect(lanesFillServer(2, {onThisMachine: true, cores: 4})).toBe(false);
    expect(lanesFillServer(1, {onThisMachine: true, cores: 1}), 'one lane: the server decides').toBe(false);
    expect(lanesFillServer(2, {onThisMachine: false, cores: 2}), 'a server elsewhere: its cores are unknown').toBe(false);
  });
});

describe('schema names', () => {
  it('derives staging and retired names and lock keys from the target, whatever its length', () => {
    const names = schemaNames('netflix_dw');
    expect(names.staging).toMatch(/^nfx_staging_[0-9a-f]{12}$/);
    expect(names.retired).toBe(names.staging.replace('staging', 'retired'));
    expect(schemaNames('netflix_dw')).toEqual(names);
    expect(schemaNames('Netflix_DW').staging).not.toBe(names.staging);
    const long = 'x'.repeat(63);
    expect(schemaNames(long).staging.length).toBeLessThanOrEqual(63);
    for (const key of names.lockKeys) expect(Number.isInteger(key) && key >= 0 && key < 2 ** 31).toBe(true);
  });

  it('refuses names PostgreSQL would truncate or reserves', () => {
    expect(() => schemaNames('é'.repeat(32))).toThrow(/is 64 bytes long; PostgreSQL names are at most 63 bytes/);
    expect(() => schemaNames('')).toThrow(/--schema is empty/);
    expect(() => schemaNames('pg_netflix')).toThrow(/reserved/);
  });
});

describe('fact table ranges', () => {
  it('splits rating_key into contiguous, nearly equal ranges, one per job', () => {
    expect(keyRanges({min: 1, max: 10}, 3)).toEqual([
      [1, 4],
      [5, 8],
      [9, 10],
    ]);
    expect(keyRanges({min: 1, max: 2}, 4)).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(keyRanges({min: 1, max: 100_480_507}, 1)).toEqual([[1, 100_480_507]]);
    expect(keyRanges(null, 2)).toEqual([[1, 0]]);
  });
});
