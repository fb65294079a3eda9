/**
 * Security (issue 7): hostile names and paths are quoted or refused and never run as SQL; SQL text in src/
 * interpolates only quoted values; passwords never show; .env stays out of git; sslmode=require without TLS fails
 * clearly.
 */
import {execFileSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync} from 'node:fs';
import {join, relative} from 'node:path';
import pg from 'pg';
import ts from 'typescript';
import {beforeAll, describe, expect, it} from 'vitest';
import type {PgExportSummary} from '../../src/export/postgres.js';
import {EXPORT_TABLES} from '../../src/export/tables.js';
import type {TransformSummary} from '../../src/transforms/pipeline.js';
import {generatedWarehouse, type GeneratedWarehouse} from '../analysis/fixtures.js';
import {duckdbChecksums, exportTo, expectUsageError, pgChecksums} from '../export/cli-export.js';
import {REPO_ROOT, runNfx, type CliResult} from '../helpers/cli.js';
import {queryDuckDB} from '../helpers/duckdb.js';
import {registerCleanup} from '../helpers/cleanup.js';
import {createTestDatabase, testHostPattern, testServer, type TestDatabase} from '../helpers/pg.js';
import {tempDir} from '../helpers/tmp.js';
import {recordFigure} from './record.js';

const COMMAND = 'npx vitest run test/reliability/security.test.ts';

let warehouse: GeneratedWarehouse;

beforeAll(async () => {
  warehouse = await generatedWarehouse({ratings: '3000', seed: '5', dirty: true});
});

/** A folder whose name would end an SQL string or identifier and start a statement, were it ever pasted into SQL. */
const HOSTILE_DIR = `o'; CREATE TABLE pwned AS SELECT 1; -- "q" ü 🎬 $HOME`;

/** Every relation of the database outside `except`, the roles, and the rows of the sentinel table. */
async function catalog(client: pg.Client, except: string[]): Promise<unknown> {
  const relations = await client.query(
    "SELECT n.nspname, c.relname, c.relkind FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema' AND NOT n.nspname = ANY($1) ORDER BY 1, 2",
    [except],
  );
  const namespaces = await client.query('SELECT nspname FROM pg_namespace WHERE NOT nspname = ANY($1) ORDER BY 1', [except]);
  // roles are the cluster's, not the test database's: leave out the nfx_reader_* roles that
  // test/export/postgres.test.ts creates and drops in the same cluster while this file runs
  const roles = await client.query("SELECT rolname FROM pg_roles WHERE rolname NOT LIKE 'nfx\\_reader\\_%' ORDER BY 1");
  const sentinel = await client.query('SELECT count(*)::int AS n FROM public.x');
  return {relations: relations.rows, namespaces: namespaces.rows, roles: roles.rows, sentinel: sentinel.rows};
}

describe('hostile schema names and paths', () => {
  const names = [`a"b; DROP TABLE x; --`, `x'); DROP TABLE public.x; --`, 'Ünïcødé dw 🎬', ' lead and trail ', '$1 \\ back', '"', 'x; DROP SCHEMA public CASCADE'];

  it('quotes --schema names with quotes, semicolons, spaces and unicode (export and verify), and nothing else in the database changes', {timeout: 300_000}, async () => {
    const db = await createTestDatabase();
    const client = await db.connect();
    await client.query('CREATE TABLE public.x (id INTEGER); INSERT INTO public.x VALUES (1); CREATE SCHEMA keep; CREATE TABLE keep.t (id INTEGER)');
    const before = await catalog(client, names);
    // the DuckDB file's path goes into the schema comment: a hostile one too
    const dir = join(tempDir(), HOSTILE_DIR);
    mkdirSync(dir);
    const db2 = join(dir, `w'h"y; DROP TABLE x;.duckdb`);
    cpSync(warehouse.db, db2);
    for (const name of names) {
      const result = await exportTo(db, db2, '--schema', name, '--json', '--jobs', '1');
      expect(result.code, result.stderr).toBe(0);
      expect(result.json<PgExportSummary>().schema).toBe(name);
      const tables = await client.query('SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1', [name]);
      expect(tables.rows.map((t) => t.table_name)).toEqual([...EXPORT_TABLES.map((t) => t.name), 'v_daily_rating_summary', 'v_movie_performance'].sort());
      expect(await pgChecksums(client, name)).toEqual(await duckdbChecksums(warehouse.db));
      const [{comment}] = (await client.query("SELECT obj_description(oid, 'pg_namespace') AS comment FROM pg_namespace WHERE nspname = $1", [name])).rows;
      expect(comment).toContain(db2);
      const verified = await runNfx(['verify', '--db', db2, '--url', db.url, '--schema', name], {env: {DATABASE_URL: undefined}});
      expect(verified.code, verified.stderr).toBe(0);
    }
    expect(await catalog(client, names)).toEqual(before);
    recordFigure({
      id: 'security-schema-names',
      area: 'Security',
      what: 'export and verify into schemas named with quotes, semicolons, spaces, unicode; a DuckDB path likewise',
      tried: names.length,
      survived: names.length,
      rowsLost: 0,
      detail: `every name created verbatim with the ${EXPORT_TABLES.length} tables and 2 views; catalog outside them, roles and a sentinel table unchanged`,
      command: COMMAND,
    });
  });

  it('refuses schema names PostgreSQL would truncate or reserves, in one line, creating nothing', async () => {
    const db = await createTestDatabase();
    const client = await db.connect();
    await client.query('CREATE TABLE public.x (id INTEGER)');
    const before = await catalog(client, []);
    for (const [name, message] of [
      ['pg_evil; DROP TABLE x', /names starting with pg_ are reserved/],
      ['é'.repeat(32), /is 64 bytes long; PostgreSQL names are at most 63 bytes/],
      ['information_schema', /PostgreSQL's own schema/],
    ] as const) {
      expectUsageError(await exportTo(db, warehouse.db, '--schema', name), message);
    }
    expect(await catalog(client, [])).toEqual(before);
  });

  it('works with --data, --db and --out paths holding quotes, semicolons, spaces and unicode, and runs none of it', {timeout: 120_000}, async () => {
    const cwd = tempDir('nfx-cwd-');
    const dir = join(tempDir(), HOSTILE_DIR);
    const data = join(dir, `data'; DROP TABLE fact_ratings; --`);
    const db = join(dir, `w'h"y; DROP TABLE fact_ratings; --.duckdb`);
    cpSync(warehouse.data, data, {recursive: true});
    const run = (...args: string[]): Promise<CliResult> => runNfx(args, {cwd});

    const transformed = await run('transform', '--data', data, '--db', db, '--max-reject-rate', '1', '--json');
    expect(transformed.code, transformed.stderr).toBe(0);
    const summary = transformed.json<TransformSummary>();
    expect(summary.db).toBe(db);
    const facts = await queryDuckDB(warehouse.db, 'SELECT count(*) AS n FROM fact_ratings');
    const queried = await run('query', '--db', db, '--format', 'json', "SELECT (SELECT count(*) FROM fact_ratings) AS n, (SELECT count(*) FROM duckdb_tables() WHERE table_name = 'pwned') AS pwned, (SELECT data_dir FROM etl_run) AS data_dir");
    expect(queried.code, queried.stderr).toBe(0);
    expect(queried.json()).toEqual([{n: facts[0].n, pwned: 0, data_dir: data}]);
    const inspected = await run('inspect', '--db', db, '--json');
    expect(inspected.code, inspected.stderr).toBe(0);

    const outs = {parquet: join(dir, `out'); COPY (SELECT 1) TO 'pwned.csv'; --`), csv: join(dir, 'csv "out" ü')};
    for (const [target, out] of Object.entries(outs)) {
      const exported = await run('export', '--target', target, '--db', db, '--out', out, '--json');
      expect(exported.code, exported.stderr).toBe(0);
      expect(readdirSync(out)).toContain('_nfx_export.json');
    }
    // nothing but what was asked for was written: no pwned file in the working directory or next to the paths
    expect(readdirSync(cwd)).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual([relative(dir, data), relative(dir, db), relative(dir, outs.csv), relative(dir, outs.parquet)].sort());
    recordFigure({
      id: 'security-paths',
      area: 'Security',
      what: 'transform, query, inspect and export to Parquet/CSV with hostile --data, --db and --out paths',
      tried: 5,
      survived: 5,
      rowsLost: 0,
      detail: 'every command exit 0 on the verbatim paths; no statement from a path ran, no stray file',
      command: COMMAND,
    });
  });
});

describe('SQL text in src/', () => {
  /** Interpolations in SQL text that are not quoted by a call but are safe: nfx's own values, reviewed here. */
  const REVIEWED: Record<string, string> = {
    'transforms/run.ts: table': "count()'s table names are constants of the pipeline's stages",
    'transforms/stages/duplicates.ts: JSON.stringify([...suspects])': 'a list of integers (movie ids the parser produced)',
    'transforms/reject-lines.ts: rejected': "the text of one of nfx's own sql/duckdb files (11_duplicate_lines, 53_pair_reject_lines)",
    'transforms/stages/duplicates-append.ts: JSON.stringify([...run.suspects])': 'a list of integers (movie ids the parser produced)',
    'transforms/first-date-scan.ts: values': 'SQL VALUES of (integer, integer) pairs, each Number() of a key DuckDB returned (14_first_date_moves.sql)',
    "transforms/stages/star-append.ts: `'${run.runId}'`": 'randomUUID() (TransformRun.runId)',
    'export/files.ts: columns': 'column names from EXPORT_TABLES',
    'export/files.ts: table.name': 'table names from EXPORT_TABLES',
    'export/files.ts: select': 'the SELECT above, built from EXPORT_TABLES',
    'export/files.ts: source': 'a table name from EXPORT_TABLES',
    'export/postgres.ts: this.staging': 'quoteIdent(names.staging), set in the constructor',
    'export/postgres.ts: columnList(table)': 'column names from EXPORT_TABLES',
    'export/postgres.ts: table.name': 'table names from EXPORT_TABLES',
    'export/postgres.ts: where': 'a rating_key range of integers',
    'export/tables.ts: schema': 'checksumSql(schema): callers pass quoteIdent(...) of the staging or target schema, or the constants main, temp.main, pg_temp',
    "export/postgres.ts: freeze ? ', FREEZE' : ''": 'a constant',
    'export/publish.ts: ...values': 'publish() builds `values` from quoteIdent and quoteLiteral just above',
    'analysis/verify.ts: schema': 'const schema = quoteIdent(names.target); auditAggregates is called with it',
    'analysis/integrity.ts: quotedSchema': "its caller (verify.ts) passes quoteIdent(names.target); the DuckDB side passes 'main'",
    "transforms/stages/star-schema.ts: `'${run.runId}'`": 'randomUUID() (TransformRun.runId)',
    'analysis/report-ids.ts: check.table': "a table name from a report file's @must-exist line (\\w+ only, nfx's own sql/duckdb/reports)",
    'transforms/reject-lines.ts: into': "a constant table name of the callers ('stg_reject' or 'stg_stored_reject')",
    'export/incremental.ts: quotedRuns(plan.runs)': 'run ids, each quoted by sqlString',
    'export/incremental.ts: schema': "pgSql's schema: quoteIdent(names.target), or the constant pg_temp",
    'export/incremental.ts: warehouseSchema': "quoteIdent(current_database()) + '.main'",
    'export/incremental.ts: target': 'quoteIdent(names.target)',
    'export/incremental.ts: columnList(table)': 'column names from EXPORT_TABLES',
    'export/incremental.ts: table.name': 'table names from EXPORT_TABLES',
    'export/incremental.ts: storedMax': "a number: Number() of the target's max(rating_key) (75_fact_max_key.sql)",
    'export/incremental.ts: FACT_ORDER': "the constant 'customer_key, movie_key'",
    'analysis/report-ids.ts: check.column': "a column name from a report file's @must-exist line (\\w+ only, nfx's own sql/duckdb/reports)",
  };
  const QUOTED = /^(quoteIdent|quoteLiteral|sqlString|dateLiteral|(pg|client|\w+)\.escape(Identifier|Literal))\(/;
  const SQL_TEXT = /^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|COPY|ATTACH|DETACH|COMMENT|GRANT|REVOKE|TRUNCATE|ANALYZE|SET|PRAGMA|WITH)\b/;

  /** Every `${...}` of a template literal that starts as SQL, outside error messages, in every .ts file of src/. */
  function sqlInterpolations(): {file: string; expression: string}[] {
    const found: {file: string; expression: string}[] = [];
    const walk = (dir: string): string[] => readdirSync(dir, {withFileTypes: true}).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
    for (const path of walk(join(REPO_ROOT, 'src'))) {
      const file = relative(join(REPO_ROOT, 'src'), path);
      const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node): void => {
        if (ts.isTemplateExpression(node) && SQL_TEXT.test(node.head.text)) {
          for (const span of node.templateSpans) found.push({file, expression: span.expression.getText(source)});
        }
        // fillSql/runStage/run.sql values: {{placeholder}} text pasted into SQL files
        if (ts.isCallExpression(node) && /^(fillSql|runStage|stage|run\.sql)$/.test(node.expression.getText(source))) {
          for (const arg of node.arguments) {
            if (!ts.isObjectLiteralExpression(arg)) continue;
            for (const property of arg.properties) {
              if (ts.isPropertyAssignment(property)) found.push({file, expression: property.initializer.getText(source)});
              else if (ts.isShorthandPropertyAssignment(property)) found.push({file, expression: property.name.getText(source)});
              else found.push({file, expression: property.getText(source)});
            }
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    return found;
  }

  it('interpolates only quoted values, string constants, or values reviewed as nfx-made, never user input', () => {
    const found = sqlInterpolations();
    // the scan sees the SQL it is meant to see (so it cannot pass by finding nothing)
    expect(found.map((f) => f.expression)).toEqual(expect.arrayContaining(['quoteIdent(names.staging)', "sqlString(inMemory ? ':memory:' : atomic.stagingPath)", 'this.staging']));
    const unreviewed = found.filter(
      ({file, expression}) => !QUOTED.test(expression) && !/^'[^']*'$|^`[^`$]*`$|^\d+$/.test(expression) && !(`${file}: ${expression}` in REVIEWED),
    );
    expect(unreviewed, 'SQL built from a value that is neither quoted nor reviewed: quote it (quoteIdent, quoteLiteral, sqlString) or bind it as a parameter').toEqual([]);
  });
});

describe('passwords', () => {
  /** A role of our own with a password of URL-hostile characters, so that leaks of any form can be searched for. */
  async function roleWithPassword(db: TestDatabase): Promise<{user: string; password: string}> {
    const client = await db.connect();
    const user = `nfx_sec_${randomBytes(4).toString('hex')}`;
    const password = `S3cr3t-${randomBytes(6).toString('hex')}@:/?#%`;
    await client.query(`CREATE ROLE ${user} LOGIN PASSWORD ${client.escapeLiteral(password)}`);
    await client.query(`GRANT CREATE ON DATABASE ${client.escapeIdentifier(db.name)} TO ${user}`);
    return {user, password};
  }

  /** The password in every form it could leak in: as given, URL-encoded, and its distinctive core. */
  const forms = (password: string): string[] => [password, encodeURIComponent(password), password.slice(0, 19)];

  function expectNoPassword(password: string, ...texts: string[]): void {
    for (const text of texts) for (const form of forms(password)) expect(text).not.toContain(form);
  }

  it('never appear in stdout, stderr, --log-file, --json, errors or the exported rows (--url, DATABASE_URL, .env, PG* in .env)', {timeout: 300_000}, async () => {
    const db = await createTestDatabase();
    const {user, password} = await roleWithPassword(db);
    // roles belong to the server, not the database: drop it with the database
    registerCleanup(async () => {
      await db.drop();
      const admin = new pg.Client({connectionString: testServer().adminUrl});
      await admin.connect();
      await admin.query(`DROP ROLE IF EXISTS ${user}`).finally(() => admin.end());
    });
    const server = new URL(db.url);
    const urlWith = (pass: string) => `postgres://${user}:${encodeURIComponent(pass)}@${server.host}/${db.name}`;
    const wrong = `${password}-wrong`;
    // a server with trust authentication (a developer's NFX_TEST_DATABASE_URL, say) lets any password in; there a
    // wrong password is an export like any other, and only the leak checks apply (CI's servers check passwords)
    const probe = new pg.Client({connectionString: urlWith(wrong)});
    const checksPasswords = await probe.connect().then(
      () => probe.end().then(() => false),
      () => true,
    );
    const cases: {source: string; env: Record<string, string | undefined>; args: (pass: string) => string[]; dotenv?: (pass: string) => string}[] = [
      {source: '--url', env: {}, args: (pass) => ['--url', urlWith(pass)]},
      {source: 'DATABASE_URL', env: {}, args: () => [], dotenv: undefined},
      {source: '.env DATABASE_URL', env: {}, args: () => [], dotenv: (pass) => `DATABASE_URL=${urlWith(pass)}\n`},
      {
        source: '.env PG*',
        env: {},
        args: () => [],
        dotenv: (pass) => `PGHOST=${server.hostname}\nPGPORT=${server.port}\nPGUSER=${user}\nPGPASSWORD='${pass}'\nPGDATABASE=${db.name}\n`,
      },
    ];
    let runs = 0;
    for (const c of cases) {
      for (const [pass, ok] of [
        [password, true],
        [wrong, false],
      ] as const) {
        const cwd = tempDir('nfx-secret-');
        const logFile = join(cwd, 'nfx.log');
        if (c.dotenv) writeFileSync(join(cwd, '.env'), c.dotenv(pass));
        const env = {DATABASE_URL: c.source === 'DATABASE_URL' ? urlWith(pass) : undefined, PGHOST: undefined, PGPORT: undefined, PGUSER: undefined, PGPASSWORD: undefined, PGDATABASE: undefined};
        const result = await runNfx(['export', '--db', warehouse.db, '--json', '--log-file', logFile, ...c.args(pass)], {cwd, env});
        runs++;
        const log = readFileSync(logFile, 'utf8');
        if (ok || !checksPasswords) {
          expect(result.code, `${c.source}: ${result.stderr}`).toBe(0);
          expect(result.json<PgExportSummary>().connection).toBe(c.source.startsWith('.env ') ? (c.source === '.env PG*' ? 'PG* variables' : 'DATABASE_URL') : c.source);
        } else {
          expect(result.code, `${c.source}: ${result.stderr}`).toBe(2);
          expect(result.stderr).toMatch(/^nfx: error: PostgreSQL at .* rejected the password: password authentication failed for user "nfx_sec_\w+"; fix the password in the URL, PGPASSWORD or ~\/\.pgpass\n$/);
          expect(log).toMatch(/error\s+PostgreSQL at .* rejected the password/);
        }
        expectNoPassword(pass, result.stdout, result.stderr, log);
      }
    }
    // what the export published: the schema's comment and every text column of etl_run and source_file
    const client = await db.connect();
    const published = await client.query(
      "SELECT obj_description(n.oid, 'pg_namespace') AS comment, (SELECT json_agg(e)::text FROM netflix_dw.etl_run AS e) AS runs, (SELECT json_agg(s)::text FROM netflix_dw.source_file AS s) AS files FROM pg_namespace AS n WHERE n.nspname = 'netflix_dw'",
    );
    expect(published.rows).toHaveLength(1);
    expectNoPassword(password, JSON.stringify(published.rows));
    recordFigure({
      id: 'security-passwords',
      area: 'Security',
      what: 'password via --url, DATABASE_URL, .env DATABASE_URL, .env PGPASSWORD; right and wrong',
      tried: runs,
      survived: runs,
      rowsLost: 0,
      detail: `searched for as given, URL-encoded and its core in stdout, stderr, --json, --log-file, the schema comment, etl_run and source_file${checksPasswords ? '' : '; this server trusts every password, so the wrong ones connected'}`,
      command: COMMAND,
    });
  });

  it('sslmode=require against a server without TLS fails with exit 2 in one line, password unseen', async () => {
    const db = await createTestDatabase();
    const password = new URL(db.url).password;
    const url = `${db.url}${db.url.includes('?') ? '&' : '?'}sslmode=require`;
    const result = await exportTo({url}, warehouse.db);
    expectUsageError(
      result,
      new RegExp(`^nfx: error: PostgreSQL at ${testHostPattern()}:\\d+/nfx_test_\\w+ does not accept TLS connections, but sslmode=require requires TLS: enable ssl on the server or use sslmode=prefer\n$`),
      password,
    );
  });

  it('.env files are ignored by git, here and in any folder', () => {
    for (const path of ['.env', 'test/.env', 'some/dir/.env']) {
      expect(execFileSync('git', ['check-ignore', '--no-index', path], {cwd: REPO_ROOT, encoding: 'utf8'}).trim()).toBe(path);
    }
  });
});
