/**
 * Concurrency (issue 7): what readers and writers of one warehouse, and two exports into one schema, see when
 * they run at the same time, tried several times with different timings.
 *
 * What happens, and is tested here: `nfx transform` builds into `<db>.nfx-tmp-<pid>` and renames it over --db,
 * and opens --db itself only read-only, for a moment, to check nobody is writing to it. A reader (`nfx query`, `nfx inspect`, which
 * open the file read-only) that opened the file before the rename keeps reading the old file to the end; one that
 * opens it after reads the new one. So readers never wait, are never refused because of a transform, and always
 * see one whole warehouse. A file that another process holds open for writing is refused to readers (exit 2,
 * one line; test/e2e/inspect.test.ts) and to a transform (which would otherwise leave that process writing into
 * the file it replaced), and left as it was.
 */
import {copyFileSync, readFileSync, readdirSync} from 'node:fs';
import {join} from 'node:path';
import type pg from 'pg';
import {beforeAll, describe, expect, it} from 'vitest';
import type {PgExportSummary} from '../../src/export/postgres.js';
import type {TransformSummary} from '../../src/transforms/pipeline.js';
import {generatedWarehouse, holdDuckDBLock, type GeneratedWarehouse} from '../analysis/fixtures.js';
import {duckdbChecksums, exportTo, pgChecksums} from '../export/cli-export.js';
import {schemas} from '../export/warehouses.js';
import {runNfx, type CliResult} from '../helpers/cli.js';
import {sha256} from '../helpers/sha256.js';
import {queryDuckDB} from '../helpers/duckdb.js';
import {createTestDatabase} from '../helpers/pg.js';
import {tempDir} from '../helpers/tmp.js';
import {recordFigure, trials} from './record.js';

const COMMAND = 'npx vitest run test/reliability/concurrency.test.ts';

let small: GeneratedWarehouse; // 5k ratings: the warehouse in place when a transform starts
let large: GeneratedWarehouse; // 200k ratings: a transform that takes a few seconds
let other: GeneratedWarehouse; // 8k ratings: a second, different export

beforeAll(async () => {
  small = await generatedWarehouse({ratings: '5000', seed: '1'});
  large = await generatedWarehouse({ratings: '200000', seed: '2'});
  other = await generatedWarehouse({ratings: '8000', seed: '3', dirty: true});
}, 120_000);

/** What identifies a whole warehouse: its run, its fact rows, and the accepted ratings its lineage counts. */
interface Identity {
  runId: string;
  facts: number;
  accepted: number;
}

async function identity(db: string): Promise<Identity> {
  const [row] = await queryDuckDB(
    db,
    "SELECT (SELECT min(run_id) FROM etl_run) AS run_id, (SELECT count(*) FROM fact_ratings) AS facts, (SELECT sum(accepted) FROM source_file WHERE kind = 'ratings') AS accepted",
  );
  return {runId: String(row.run_id), facts: Number(row.facts), accepted: Number(row.accepted)};
}

/** One reader run: what it saw, and when it started and ended. */
interface Read {
  kind: 'query' | 'inspect';
  started: number;
  ended: number;
  result: CliResult;
  seen?: Identity;
}

/** `nfx query` of the identity in one statement, or `nfx inspect --json` (many statements over one open file). */
async function readOnce(kind: Read['kind'], db: string): Promise<Read> {
  const started = Date.now();
  if (kind === 'query') {
    const sql =
      "SELECT (SELECT min(run_id) FROM etl_run) AS run_id, (SELECT count(*) FROM fact_ratings) AS facts, (SELECT sum(accepted) FROM source_file WHERE kind = 'ratings') AS accepted";
    const result = await runNfx(['query', '--db', db, '--format', 'json', sql]);
    const rows = result.code === 0 ? result.json<{run_id: string; facts: number; accepted: number}[]>() : [];
    return {kind, started, ended: Date.now(), result, seen: rows[0] && {runId: rows[0].run_id, facts: Number(rows[0].facts), accepted: Number(rows[0].accepted)}};
  }
  const result = await runNfx(['inspect', '--db', db, '--json']);
  if (result.code !== 0) return {kind, started, ended: Date.now(), result};
  const inspection = result.json<{tables: {name: string; rows: number}[]; lastRun: {runId: string; ratingsLoaded: number; inputs: {path: string; kind: string; accepted: number}[]}}>();
  // inspect reads the table counts and the lineage with separate statements: they must still be of one warehouse
  expect(inspection.lastRun.ratingsLoaded).toBe(inspection.tables.find((t) => t.name === 'fact_ratings')!.rows);
  const accepted = inspection.lastRun.inputs.filter((i) => i.kind === 'ratings').reduce((sum, i) => sum + i.accepted, 0);
  return {kind, started, ended: Date.now(), result, seen: {runId: inspection.lastRun.runId, facts: inspection.lastRun.ratingsLoaded, accepted}};
}

/** Reads `db` over and over into `reads`, until a read started after `ended()` (a time, 0 until known). */
async function readLoop(kind: Read['kind'], db: string, ended: () => number, reads: Read[]): Promise<void> {
  do reads.push(await readOnce(kind, db));
  while (!(ended() > 0 && reads.at(-1)!.started > ended()));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('readers of a warehouse while nfx transform replaces it', () => {
  it('see the whole old or the whole new warehouse, never a refusal or a half-built one, and the transform succeeds', {timeout: 600_000}, async () => {
    const attempts = trials(3);
    const before = await identity(small.db);
    const counts = {reads: 0, old: 0, new: 0, overlapping: 0};
    for (let attempt = 0; attempt < attempts; attempt++) {
      const dir = tempDir('nfx-concurrent-');
      const db = join(dir, 'netflix.duckdb');
      copyFileSync(small.db, db);
      let transformEnded = 0;
      // readers start before the transform, read during it, and once more after it
      const reads: Read[] = [];
      const readers = Promise.all([readLoop('query', db, () => transformEnded, reads), readLoop('inspect', db, () => transformEnded, reads)]);
      // the transform starts with the readers, a moment later, or once two reads are done
      if (attempt % 3 === 1) await sleep(300);
      if (attempt % 3 === 2) while (reads.length < 2) await sleep(20);
      const transformStarted = Date.now();
      const transform = await runNfx(['transform', '--data', large.data, '--db', db, '--max-reject-rate', '1', '--json']);
      transformEnded = Date.now();
      await readers;

      expect(transform.code, transform.stderr).toBe(0);
      expect(readdirSync(dir)).toEqual(['netflix.duckdb']);
      const after = await identity(db);
      expect(after).toMatchObject({runId: transform.json<TransformSummary>().runId, facts: 200_000, accepted: 200_000});
      for (const read of reads) {
        expect(read.result.code, `${read.kind}: ${read.result.stderr}`).toBe(0);
        expect(read.result.stderr).not.toMatch(/error/);
        if (read.ended < transformStarted) expect(read.seen, read.kind).toEqual(before);
        else if (read.started > transformEnded) expect(read.seen, read.kind).toEqual(after);
        else expect([before, after], read.kind).toContainEqual(read.seen);
        counts.reads++;
        if (read.started > transformEnded) counts.new++;
        else if (read.ended < transformStarted) counts.old++;
        else counts.overlapping++;
      }
    }
    // reads that overlapped the transform are the point of the test
    expect(counts.overlapping).toBeGreaterThan(0);
    recordFigure({
      id: 'concurrency-readers-transform',
      area: 'Concurrency',
      what: 'nfx query and nfx inspect in a loop while nfx transform replaces the file',
      tried: counts.reads,
      survived: counts.reads,
      rowsLost: 0,
      detail: `${attempts} transforms; reads before ${counts.old}, overlapping ${counts.overlapping}, after ${counts.new}; every read whole (old or new), none refused`,
      command: COMMAND,
    });
  });

  it('two transforms into one file at once both succeed, and the file is one of the two warehouses, whole', {timeout: 300_000}, async () => {
    const attempts = trials(2);
    const seen = new Set<string>();
    for (let attempt = 0; attempt < attempts; attempt++) {
      const dir = tempDir('nfx-concurrent-');
      const db = join(dir, 'netflix.duckdb');
      const [first, second] = await Promise.all(
        [small.data, other.data].map((data) => runNfx(['transform', '--data', data, '--db', db, '--max-reject-rate', '1', '--json'])),
      );
      expect(first.code, first.stderr).toBe(0);
      expect(second.code, second.stderr).toBe(0);
      expect(readdirSync(dir)).toEqual(['netflix.duckdb']);
      const final = await identity(db);
      const candidates = [first, second].map((r) => r.json<TransformSummary>()).map((s) => ({runId: s.runId, facts: s.tables.fact_ratings, accepted: s.tables.fact_ratings}));
      expect(candidates).toContainEqual(final);
      seen.add(final.facts === 5000 ? 'small' : 'other');
    }
    recordFigure({
      id: 'concurrency-two-transforms',
      area: 'Concurrency',
      what: 'two nfx transform into one --db started together',
      tried: attempts,
      survived: attempts,
      rowsLost: 0,
      detail: `both exit 0 every time; the file is the last one renamed in, whole (${[...seen].join(', ')}); no temporary file left`,
      command: COMMAND,
    });
  });

  it('a file held open for writing by another process is refused to readers and to a transform, and left as it was', {timeout: 120_000}, async () => {
    const dir = tempDir('nfx-concurrent-');
    const db = join(dir, 'netflix.duckdb');
    copyFileSync(small.db, db);
    const before = sha256(db);
    const lock = await holdDuckDBLock(db);
    try {
      const refused = await runNfx(['query', '--db', db, 'SELECT 1']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/^nfx: error: .* is in use by another process \(.*\) that holds DuckDB's lock on it; wait for it to finish or close it\n$/);
      // replacing the file would leave the holder writing into the replaced one: the transform refuses too
      const transform = await runNfx(['transform', '--data', other.data, '--db', db, '--max-reject-rate', '1']);
      expect(transform.code).toBe(2);
      expect(transform.stderr).toMatch(
        /^nfx: error: .*netflix\.duckdb is in use by another process \(.*PID \d+\) that holds DuckDB's lock on it, writing to it; replacing it now would lose what that process writes next, so close it and run the transform again\n$/,
      );
    } finally {
      await lock.release();
    }
    expect(readdirSync(dir)).toEqual(['netflix.duckdb']);
    expect(sha256(db)).toBe(before);
    // once the holder closed it, the transform replaces it
    const transform = await runNfx(['transform', '--data', other.data, '--db', db, '--max-reject-rate', '1', '--json']);
    expect(transform.code, transform.stderr).toBe(0);
    expect({...(await identity(db)), runId: ''}).toEqual({...(await identity(other.db)), runId: ''});
    expect(readdirSync(dir)).toEqual(['netflix.duckdb']);
    recordFigure({
      id: 'concurrency-write-locked-file',
      area: 'Concurrency',
      what: 'readers and nfx transform on a file another process holds open for writing',
      tried: 1,
      survived: 1,
      rowsLost: 0,
      detail: 'readers and the transform: exit 2, one line naming the process, file byte-identical; after the holder closed it the transform replaces it',
      command: COMMAND,
    });
  });
});

describe('two exports into one PostgreSQL schema started together', () => {
  /** Starts two exports of different warehouses into netflix_dw at the same moment; `finished` lists them in the order they exited. */
  async function exportBoth(db: {url: string}, ...args: string[]): Promise<{results: CliResult[]; finished: string[]; logs: string}> {
    const finished: string[] = [];
    const logDir = tempDir('nfx-export-log-');
    const results = await Promise.all(
      [small.db, other.db].map((warehouse, i) =>
        exportTo(db, warehouse, '--json', '--log-file', join(logDir, `${i}.log`), ...args).then((result) => {
          if (result.code === 0) finished.push(warehouse);
          return result;
        }),
      ),
    );
    return {results, finished, logs: readdirSync(logDir).map((name) => readFileSync(join(logDir, name), 'utf8')).join('')};
  }

  /** The schema holds the warehouse that published last, whole (row counts and checksums of every table), and nothing else is left. */
  async function expectWholeLoadOf(client: pg.Client, warehouse: string): Promise<void> {
    expect(await pgChecksums(client, 'netflix_dw')).toEqual(await duckdbChecksums(warehouse));
    expect(await schemas(client)).toEqual(['netflix_dw']);
  }

  it('without --wait: one wins, the other fails at once naming the lock (or runs after it), and the schema is one whole load', {timeout: 300_000}, async () => {
    const db = await createTestDatabase();
    const client = await db.connect();
    const attempts = trials(3);
    let refused = 0;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const {results, finished} = await exportBoth(db);
      const succeeded = results.filter((r) => r.code === 0);
      expect(succeeded.length, results.map((r) => r.stderr).join('\n')).toBeGreaterThanOrEqual(1);
      for (const loser of results.filter((r) => r.code !== 0)) {
        refused++;
        expect(loser.code).toBe(2);
        expect(loser.stderr).toMatch(/^nfx: error: another nfx export into schema "netflix_dw" is running \(PostgreSQL backend pid \d+, connected since .*\); wait for it to finish, or run with --wait to queue behind it\n$/);
      }
      await expectWholeLoadOf(client, finished.at(-1)!);
    }
    recordFigure({
      id: 'concurrency-two-exports',
      area: 'Concurrency',
      what: 'two nfx export into one schema started together, no --wait',
      tried: attempts,
      survived: attempts,
      rowsLost: 0,
      detail: `${refused} of ${attempts} second exports refused at once (exit 2, naming the backend), the rest ran after the first; the schema held one whole load each time`,
      command: COMMAND,
    });
  });

  it('with --wait: both succeed one after the other, and the schema is one whole load', {timeout: 300_000}, async () => {
    const db = await createTestDatabase();
    const client = await db.connect();
    const attempts = trials(3);
    let waited = 0;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const {results, finished, logs} = await exportBoth(db, '--wait');
      for (const result of results) expect(result.code, result.stderr).toBe(0);
      expect(results.map((r) => r.json<PgExportSummary>().replacedPrevious)).toContain(true);
      if (/waiting for the other nfx export into schema "netflix_dw" to finish/.test(logs)) waited++;
      await expectWholeLoadOf(client, finished.at(-1)!);
    }
    recordFigure({
      id: 'concurrency-two-exports-wait',
      area: 'Concurrency',
      what: 'two nfx export --wait into one schema started together',
      tried: attempts,
      survived: attempts,
      rowsLost: 0,
      detail: `both exit 0 every time (${waited} of ${attempts} times one queued behind the other); the schema held one whole load`,
      command: COMMAND,
    });
  });
});
