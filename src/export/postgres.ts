import {availableParallelism} from 'node:os';
import type pg from 'pg';
import {UserError} from '../errors.js';
import {log} from '../log.js';
import {Progress} from '../progress.js';
import {WITHOUT_AGGREGATES} from '../bench-reference.js';
import {fillSql, loadSql, nfxVersion} from '../sql.js';
import {backendPid, resolveTarget, serverError, serverOnThisMachine, type PgTarget} from './connection.js';
import {copyStream} from './copy.js';
import {
  createStaging,
  dropStaging,
  exportComment,
  publish,
  removeLeftovers,
  quoteIdent,
  refuseForeignObjects,
  refuseUnownedSchema,
  schemaNames,
  type SchemaNames,
} from './publish.js';
import {IncrementalMismatch, applyIncremental, decideExport, type ExportPlan, type IncrementalResult} from './incremental.js';
import {EXPORT_APPLICATION, lockTarget, stagingComment, unlockTarget} from './target-lock.js';
import {EXPORT_TABLES, FACT_TABLE, checksumSql, columnList, type ExportTable, type TableName} from './tables.js';
import {checksumRows, openWarehouse, type Checksums, type Warehouse} from './warehouse.js';

export interface PgExportOptions {
  /** The DuckDB warehouse written by nfx transform. */
  db: string;
  /** postgres:// URL; undefined: DATABASE_URL, else the PG* variables. */
  url?: string;
  schema: string;
  /** Connections loading the fact table in parallel (rating_key ranges) and building its indexes. */
  jobs: number;
  /** Queue behind a running export into the same schema instead of failing. */
  wait?: boolean;
  /** Export into an existing empty schema that nfx did not create (PostgreSQL's public, say). */
  replaceEmptySchema?: boolean;
  /** A full export even when the target holds an earlier state of the warehouse (--full). */
  full?: boolean;
}

export interface TableLoad {
  table: TableName;
  rows: number;
  bytes: number;
  seconds: number;
  rowsPerSecond: number;
  /** Loaded with COPY ... FREEZE (rows frozen at load: no hint-bit writes on the first scan, nothing for VACUUM). */
  freeze: boolean;
  /** Connections the table was loaded over. */
  streams: number;
}

/** What every export to PostgreSQL reports, full or incremental. */
interface PgExportTarget {
  /** host:port/database; never credentials. */
  target: string;
  connection: PgTarget['source'];
  sslmode: string;
  schema: string;
  db: string;
  /** run_id of the transform that built the warehouse. */
  etlRunId: string | null;
  seconds: number;
}

/** A full export: every table loaded into a staging schema, swapped in. */
export interface PgExportSummary extends PgExportTarget {
  mode: 'full';
  /** Why the export was not incremental (no earlier export, another warehouse, --full, ...). */
  fullReason: string;
  jobs: number;
  tables: TableLoad[];
  /** Row count and checksum per table, equal in DuckDB and PostgreSQL. */
  reconciled: Checksums;
  /** Wall seconds per phase. */
  phases: {prepare: number; load: number; constraints: number; reconcile: number; analyze: number; publish: number};
  /**
   * How the foreign keys were checked: 'index-merge' when VACUUM made fact_ratings all-visible, 'default'
   * (the planner's hash joins) when a transaction older than the load kept it from being so.
   */
  foreignKeyCheck: 'index-merge' | 'default';
  /** Connections the keys and indexes were built over (--jobs, at most 5: one per build). */
  indexLanes: number;
  /**
   * Whether the index builds could use the server's parallel maintenance workers (as many as its
   * max_parallel_maintenance_workers allows); false when the lanes alone fill every core of a server on this machine.
   */
  parallelIndexWorkers: boolean;
  replacedPrevious: boolean;
  grantsCarriedOver: number;
  /** Staging or retired schemas of an earlier export that did not finish, removed by this one. */
  removedLeftovers: string[];
}

/** An incremental export: the changes of the runs the target lacked, applied in one transaction (src/export/incremental.ts). */
export interface PgIncrementalSummary extends PgExportTarget, IncrementalResult {
  mode: 'incremental';
  /** No run to apply: the target already held the warehouse's last run (reconciled all the same). */
  upToDate: boolean;
  phases: IncrementalResult['phases'] & {decide: number};
  /** Staging or retired schemas of an earlier export that did not finish, removed by this one. */
  removedLeftovers: string[];
}

const MAX_JOBS = 16;
/** A lane's step that is no SQL file: the aggregate tables' load (ExportRun.loadAggregates). */
const LOAD_AGGREGATES = Symbol('load the aggregate tables');
/**
 * The builds after the load, one lane each at most: four fact indexes, then the dimensions' keys followed on
 * the same connection by the keys of fact_qualifying, and by the aggregate tables: loaded, keyed (their foreign
 * keys need the dimensions' primary keys) and analyzed. They are loaded here rather than with the other small
 * tables before the fact table so that their COPY (4M rows at 100M ratings), keys and statistics run while
 * the other lanes still build fact indexes, instead of adding their time to the export's.
 */
const INDEX_BUILDS: readonly (readonly (string | typeof LOAD_AGGREGATES)[])[] = [
  ['22_fact_customer_movie'],
  ['24_fact_date_key'],
  ['21_fact_rating_key'],
  ['23_fact_movie_key'],
  WITHOUT_AGGREGATES ? ['20_dimension_keys', '29_fact_qualifying_keys'] : ['20_dimension_keys', '29_fact_qualifying_keys', LOAD_AGGREGATES, '29_aggregate_keys'],
];

/** The aggregate tables of SPEC 2.1, loaded on a lane of the index builds (INDEX_BUILDS). */
const AGGREGATE_TABLES = EXPORT_TABLES.filter((t) => t.name.startsWith('agg_'));

/** The two views (over the aggregate tables; over fact_ratings in the bench's reference, src/bench-reference.ts). */
const VIEWS_SQL = WITHOUT_AGGREGATES ? 'bench/30_views_over_facts' : '30_views';

/**
 * nfx export --target pg, after the lock, one of two ways:
 * - incremental (src/export/incremental.ts), when the target holds an earlier state of this warehouse:
 *   decide -> copy changes -> apply -> reconcile -> commit, in one transaction on --schema;
 * - full (ExportRun): warehouse -> staging schema (binary COPY, fact table over --jobs connections) -> keys,
 *   indexes, foreign keys, views -> reconciliation against DuckDB -> ANALYZE -> atomic swap into --schema;
 *   also after an incremental export that did not reconcile (rolled back).
 * Anything that fails before the swap or the commit leaves the target schema exactly as it was.
 */
export async function runPgExport(options: PgExportOptions): Promise<PgExportSummary | PgIncrementalSummary> {
  const started = performance.now();
  if (!Number.isInteger(options.jobs) || options.jobs < 1 || options.jobs > MAX_JOBS) {
    throw new UserError(`--jobs ${options.jobs} must be a whole number from 1 to ${MAX_JOBS}`);
  }
  const names = schemaNames(options.schema);
  const target = resolveTarget(options.url);
  const warehouse = await openWarehouse(options.db);
  const clients: pg.Client[] = [];
  const connect = async (): Promise<pg.Client> => {
    const client = await target.connect(EXPORT_APPLICATION);
    clients.push(client);
    // a long load must not trip a server-wide statement_timeout meant for interactive queries
    await client.query('SET statement_timeout = 0');
    return client;
  };
  let phase = 'connecting';
  const where = (): {display: string; schema: string; phase: string} => ({display: target.display, schema: names.target, phase});
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    interrupted = true;
    void interrupt(signal, phase, target, clients, names).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  try {
    const control = await connect();
    phase = 'taking the export lock';
    await lockTarget(control, names, options.wait ?? false);
    // Ctrl-C or SIGTERM: stop the connections and drop the staging schema now rather than at the next export
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    let published = false;
    const done = {target: target.display, connection: target.source, sslmode: target.sslmode, schema: names.target, db: warehouse.path, etlRunId: warehouse.etlRunId};
    const seconds = (): number => round((performance.now() - started) / 1000);
    try {
      phase = 'deciding between a full and an incremental export';
      const decided = performance.now();
      const duckdb = await warehouse.connect();
      const plan: ExportPlan = options.full ? {mode: 'full', reason: '--full'} : await decideExport(control, names, warehouse, duckdb);
      let fullReason = plan.mode === 'full' ? plan.reason : '';
      if (plan.mode === 'incremental') {
        const decide = round((performance.now() - decided) / 1000);
        try {
          const removedLeftovers = await removeLeftovers(control, names);
          const result = await applyIncremental(control, names, warehouse, duckdb, plan, (p) => (phase = p));
          published = true;
          return {...done, mode: 'incremental', upToDate: plan.runs.length === 0, ...result, phases: {decide, ...result.phases}, removedLeftovers, seconds: seconds()};
        } catch (err) {
          if (!(err instanceof IncrementalMismatch)) throw err;
          fullReason = `the incremental export did not reconcile (${err.message}) and was rolled back`;
          log().warn(`${fullReason}; exporting in full instead`);
        }
      }
      log().debug(`full export: ${fullReason}`);
      const run = new ExportRun(warehouse, names, control, connect, options.jobs, (p) => (phase = p), options.replaceEmptySchema ?? false);
      const summary = await run.execute();
      published = true;
      return {...done, mode: 'full', fullReason, jobs: options.jobs, ...summary, seconds: seconds()};
    } catch (err) {
      if (!published && !interrupted) await abandon(control, names);
      throw err;
    } finally {
      await unlockTarget(control, names).catch(() => undefined);
    }
  } catch (err) {
    if (interrupted) await new Promise(() => undefined); // the signal handler ends the process
    throw serverError(err, where());
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await Promise.allSettled(clients.map((c) => c.end()));
    warehouse.close();
  }
}

/**
 * After Ctrl-C or SIGTERM: terminate the export's connections (the server rolls back what they were doing, and
 * the advisory lock goes with the control connection), then take the lock on a fresh connection and drop the
 * staging schema. If any of this fails, the next export removes what is left.
 */
async function interrupt(signal: NodeJS.Signals, phase: string, target: PgTarget, clients: pg.Client[], names: SchemaNames): Promise<void> {
  const publishing = phase.startsWith('publishing');
  process.stderr.write(
    `\nnfx: interrupted by ${signal} while ${phase}; ${publishing ? `schema "${names.target}" holds either the previous or the new complete load` : `schema "${names.target}" is left as it was`}\n`,
  );
  const pids = clients.map(backendPid).filter((pid) => pid !== null);
  let cleaner: pg.Client | undefined;
  try {
    cleaner = await target.connect(`${EXPORT_APPLICATION} cleanup`);
    await cleaner.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const {rows} = await cleaner.query<{locked: boolean}>('SELECT pg_try_advisory_lock($1, $2) AS locked', names.lockKeys);
      if (rows[0].locked) {
        await dropStaging(cleaner, names);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } catch {
    // the next export cleans up
  } finally {
    await cleaner?.end().catch(() => undefined);
  }
}

type RunSummary = Pick<
  PgExportSummary,
  'tables' | 'reconciled' | 'phases' | 'foreignKeyCheck' | 'indexLanes' | 'parallelIndexWorkers' | 'replacedPrevious' | 'grantsCarriedOver' | 'removedLeftovers'
>;

/** One export's steps against the staging schema, in order. */
class ExportRun {
  private readonly staging: string;
  private readonly phases: PgExportSummary['phases'] = {prepare: 0, load: 0, constraints: 0, reconcile: 0, analyze: 0, publish: 0};
  private readonly tables: TableLoad[] = [];
  /** control first, then one connection per further job. */
  private workers: pg.Client[] = [];

  constructor(
    private readonly warehouse: Warehouse,
    private readonly names: SchemaNames,
    private readonly control: pg.Client,
    private readonly connect: () => Promise<pg.Client>,
    private readonly jobs: number,
    private readonly setPhase: (phase: string) => void,
    private readonly replaceEmptySchema: boolean,
  ) {
    this.staging = quoteIdent(names.staging);
  }

  async execute(): Promise<RunSummary> {
    let since = performance.now();
    this.setPhase(`checking schema "${this.names.target}"`);
    await refuseUnownedSchema(this.control, this.names, this.replaceEmptySchema);
    await refuseForeignObjects(this.control, this.names);
    this.setPhase(`creating the staging schema ${this.names.staging}`);
    const removedLeftovers = await createStaging(this.control, this.names, stagingComment(this.names.target, backendPid(this.control)));
    if (removedLeftovers.length > 0) log().info(`removed ${removedLeftovers.join(', ')}, left by an export into "${this.names.target}" that did not finish`);
    this.workers = [this.control, ...(await Promise.all(Array.from({length: this.jobs - 1}, () => this.connect())))];
    since = this.lap('prepare', since);

    this.setPhase('loading the tables');
    log().info(`loading ${this.warehouse.path} into staging schema ${this.names.staging}`);
    await this.loadSmallTables();
    await this.loadFactTable();
    since = this.lap('load', since);

    this.setPhase('building keys, indexes and foreign keys');
    const indexLanes = Math.min(this.jobs, INDEX_BUILDS.length);
    const parallelIndexWorkers = !lanesFillServer(indexLanes, {onThisMachine: serverOnThisMachine(this.control), cores: availableParallelism()});
    log().info(
      `building keys and indexes over ${indexLanes} connection(s)${parallelIndexWorkers ? '' : ', each build in one server process (the connections fill the server\'s cores)'}`,
    );
    // slowest first (random order to sort), then the ones whose input is already in rating_key order
    await this.inLanes(INDEX_BUILDS, parallelIndexWorkers);
    // Committed synchronously, even on a server set to synchronous_commit = off: this commit flushes the WAL
    // through every commit before it, the loads' included. VACUUM may only mark rows all-visible once their
    // inserting transaction's commit is flushed (PostgreSQL sets no hint bits before that), so without it a
    // small load vacuumed within the WAL writer's delay stays not all-visible.
    await this.control.query('SET synchronous_commit = on');
    await this.control.query(this.sql('25_fact_keys'));
    // VACUUM before the reconciliation scan starts: a snapshot of ours taken while a transaction of another
    // database is open would hold this database's horizon below the load and keep its rows from being
    // all-visible (seen in CI, where tests in other databases run beside the export)
    const allVisible = await this.vacuumFact();
    let foreignKeyCheck: PgExportSummary['foreignKeyCheck'] = 'default';
    const foreignKeys = (async () => {
      foreignKeyCheck = await this.addForeignKeys(allVisible);
      await this.control.query(this.sql(VIEWS_SQL));
      return performance.now();
    })();
    // the checksum scan runs beside the foreign-key scans when there is a second connection
    const second = this.workers[1];
    const reconciled = second ? this.reconcile(second) : foreignKeys.then(() => this.reconcile(this.control));
    await allOrCancel<unknown>([foreignKeys, reconciled], () => this.cancelRunning());
    const reconcile = await reconciled;
    this.phases.constraints = round(((await foreignKeys) - since) / 1000);
    this.phases.reconcile = reconcile.seconds;
    since = performance.now();

    this.setPhase('analyzing');
    await this.control.query(this.sql('50_analyze'));
    since = this.lap('analyze', since);

    this.setPhase('publishing (the swap)');
    const comment = exportComment(nfxVersion(), {path: this.warehouse.path, runId: this.warehouse.etlRunId}, new Date());
    const published = await publish(this.control, this.names, comment, this.replaceEmptySchema);
    this.lap('publish', since);
    log().info(`published schema "${this.names.target}"${published.replaced ? ' (the previous load was replaced)' : ''}`);
    return {
      tables: this.tables,
      reconciled: reconcile.checksums,
      phases: this.phases,
      foreignKeyCheck,
      indexLanes,
      parallelIndexWorkers,
      replacedPrevious: published.replaced,
      grantsCarriedOver: published.grants,
      removedLeftovers,
    };
  }

  /** Dimensions and audit tables: created and loaded in one transaction on one connection, so COPY can FREEZE. */
  private async loadSmallTables(): Promise<void> {
    await this.control.query('BEGIN');
    await this.control.query(this.sql('10_tables'));
    for (const table of EXPORT_TABLES) {
      if (table !== FACT_TABLE && !AGGREGATE_TABLES.includes(table)) await this.loadTable(table, [this.control], true);
    }
    await this.control.query('COMMIT');
  }

  /** The aggregate tables, created and loaded in one transaction on a lane's connection, so COPY can FREEZE. */
  private async loadAggregates(client: pg.Client): Promise<void> {
    try {
      await client.query('BEGIN');
      await client.query(this.sql('12_aggregate_tables'));
      for (const table of AGGREGATE_TABLES) await this.loadTable(table, [client], true);
      await client.query('COMMIT');
    } catch (err) {
      // the connection must not keep the failed transaction's locks while the staging schema is dropped
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  /**
   * The fact table. With one job it is created in the transaction that loads it (FREEZE). With more, the
   * other connections cannot see a table before its creating transaction commits, and FREEZE needs the table
   * created in the loading transaction, so the table is created first and loaded without FREEZE, each job
   * copying one rating_key range in a transaction of its own.
   */
  private async loadFactTable(): Promise<void> {
    if (this.jobs === 1) {
      await this.control.query('BEGIN');
      await this.control.query(this.sql('11_fact_ratings'));
      await this.loadTable(FACT_TABLE, [this.control], true);
      await this.control.query('COMMIT');
    } else {
      await this.control.query(this.sql('11_fact_ratings'));
      await this.loadTable(FACT_TABLE, this.workers, false);
    }
  }

  /** Streams one table from DuckDB over one connection per range; ranges split rating_key evenly. */
  private async loadTable(table: ExportTable, clients: pg.Client[], freeze: boolean): Promise<void> {
    const total = (await this.warehouse.checksums())[table.name].rows;
    const progress = new Progress(table.name, total, 'rows');
    const started = performance.now();
    const sent = new Array<number>(clients.length).fill(0);
    const copy = `COPY ${this.staging}.${quoteIdent(table.name)} (${columnList(table)}) FROM STDIN (FORMAT binary${freeze ? ', FREEZE' : ''})`;
    const ranges = table === FACT_TABLE ? keyRanges(this.warehouse.ratingKeys, clients.length) : [null];
    const abort = new AbortController();
    const streams = ranges.map(async (range, job) => {
      const duckdb = await this.warehouse.connect();
      const where = range ? ` WHERE rating_key BETWEEN ${range[0]} AND ${range[1]}` : '';
      return copyStream({
        duckdb,
        select: `SELECT ${columnList(table)} FROM ${table.name}${where}`,
        columns: table.columns,
        client: clients[job],
        copy,
        signal: abort.signal,
        onRows: (rows) => {
          sent[job] = rows;
          const done = sent.reduce((a, b) => a + b, 0);
          progress.update(done, done);
        },
      });
    });
    // one failed stream stops the others (CopyFail), so their connections are free for the cleanup
    const results = await allOrCancel(streams, () => abort.abort());
    const rows = results.reduce((sum, r) => sum + r.rows, 0);
    const bytes = results.reduce((sum, r) => sum + r.bytes, 0);
    progress.finish(rows, rows);
    const seconds = (performance.now() - started) / 1000;
    this.tables.push({table: table.name, rows, bytes, seconds: round(seconds), rowsPerSecond: Math.round(rows / Math.max(seconds, 1e-6)), freeze, streams: ranges.length});
  }

  /**
   * VACUUM of the staging fact table (26_fact_vacuum.sql); returns the share of its pages now all-visible.
   * A snapshot held in this database at that moment (autovacuum analyzing another table, say) can keep the
   * rows from being all-visible, so a VACUUM that fell short is tried once more a second later: it costs
   * one more pass only when something is in the way, and saves the slow foreign-key checks when it was brief.
   */
  private async vacuumFact(): Promise<{pages: number; allVisible: number}> {
    let visibility = {pages: 0, allVisible: 0};
    for (let attempt = 1; attempt <= 2 && !mostlyAllVisible(visibility); attempt++) {
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, 1000));
      await this.control.query(this.sql('26_fact_vacuum'));
      const {rows} = await this.control.query<{pages: number; all_visible: number}>(loadSql('postgres', '28_fact_all_visible'), [this.names.staging]);
      visibility = {pages: rows[0]?.pages ?? 0, allVisible: rows[0]?.all_visible ?? 0};
    }
    return visibility;
  }

  /**
   * The three foreign keys, each validated by one query over fact_ratings. By default PostgreSQL answers
   * it with a hash anti join, which for the customer key probes a hash of every customer once per rating,
   * at random (53.6 s at 100M ratings). Once VACUUM has marked the table all-visible, merging an index-only
   * scan of the (customer_key, movie_key) index with the customer key's index reads both in order instead
   * (11.6 s): hash and nested-loop joins are switched off for this transaction only.
   */
  private async addForeignKeys(visibility: {pages: number; allVisible: number}): Promise<PgExportSummary['foreignKeyCheck']> {
    const merge = mostlyAllVisible(visibility);
    if (!merge) {
      log().warn(
        `only ${visibility.allVisible} of fact_ratings' ${visibility.pages} pages are all-visible after VACUUM: a transaction older than the load is open in this database; checking the foreign keys with hash joins (slower)`,
      );
    }
    await this.control.query('BEGIN');
    if (merge) await this.control.query('SET LOCAL enable_hashjoin = off; SET LOCAL enable_nestloop = off');
    await this.control.query(this.sql('27_fact_foreign_keys'));
    await this.control.query('COMMIT');
    return merge ? 'index-merge' : 'default';
  }

  /**
   * Independent builds (each one or more steps, run in order) over the --jobs connections: CREATE INDEX locks
   * do not conflict with each other. Without parallel workers (see lanesFillServer) each build runs in its own
   * server process.
   */
  private async inLanes(builds: typeof INDEX_BUILDS, parallelWorkers: boolean): Promise<void> {
    const queue = [...builds];
    let stopped = false;
    const lanes = this.workers.slice(0, builds.length).map(async (client) => {
      if (!parallelWorkers) await client.query('SET max_parallel_maintenance_workers = 0');
      for (let steps = queue.shift(); steps !== undefined && !stopped; steps = queue.shift()) {
        for (const step of steps) {
          if (stopped) break;
          if (step === LOAD_AGGREGATES) await this.loadAggregates(client);
          else await client.query(this.sql(step));
        }
      }
    });
    await allOrCancel(lanes, () => {
      stopped = true;
      return this.cancelRunning();
    });
  }

  /** Cancels the statements our connections are running (from a connection of its own), after a failure. */
  private async cancelRunning(): Promise<void> {
    const pids = this.workers.map(backendPid).filter((pid) => pid !== null);
    const client = await this.connect();
    await client.query('SELECT pg_cancel_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);
  }

  /** Row counts and checksums of the staging tables against DuckDB's; a mismatch fails the export (a bug). */
  private async reconcile(client: pg.Client): Promise<{checksums: Checksums; seconds: number}> {
    const started = performance.now();
    const {rows} = await client.query<{table_name: string; row_count: string; checksum: string}>(checksumSql(this.staging));
    const loaded = checksumRows(rows);
    const mismatch = reconciliationMismatch(await this.warehouse.checksums(), loaded);
    if (mismatch) throw new Error(`${mismatch}; nothing was published`);
    log().info(`reconciled ${EXPORT_TABLES.length} tables: row counts and checksums equal DuckDB's`);
    return {checksums: loaded, seconds: round((performance.now() - started) / 1000)};
  }

  private sql(name: string): string {
    return fillSql(loadSql('postgres', name), {schema: this.staging});
  }

  private lap(phase: keyof PgExportSummary['phases'], since: number): number {
    const now = performance.now();
    this.phases[phase] = round((now - since) / 1000);
    return now;
  }
}

/**
 * Whether the index-building lanes alone keep the server's cores busy: more than one lane, and not a spare core
 * per lane for a parallel worker to use. Each build should then run in one server process, without parallel
 * maintenance workers, whose extra sort and merge only cost time: over two lanes on a 2-core machine the four
 * fact indexes of 100M ratings took 135-146 s with them instead of 125 s. The cores are known only for a server
 * on this machine; elsewhere (a managed server, a bigger box) the builds use the server's own
 * max_parallel_maintenance_workers, which spread each build over the cores it has.
 */
export function lanesFillServer(lanes: number, server: {onThisMachine: boolean; cores: number}): boolean {
  return lanes > 1 && server.onThisMachine && server.cores < 2 * lanes;
}

/**
 * Whether VACUUM made the fact table all-visible, but for the pages COPY added ahead of need and left empty
 * (never marked): up to 1 % of the pages, or 1,024 (PostgreSQL 15 extends by up to 512 pages at a time when
 * loaders wait for each other). None all-visible means a transaction older than the load held it back.
 */
export function mostlyAllVisible({pages, allVisible}: {pages: number; allVisible: number}): boolean {
  return allVisible > 0 && pages - allVisible <= Math.max(Math.ceil(pages / 100), 1024);
}

/** The first table whose row count or checksum differs between DuckDB and PostgreSQL, as a message; null when all agree. */
export function reconciliationMismatch(expected: Checksums, loaded: Partial<Checksums>): string | null {
  for (const table of EXPORT_TABLES) {
    const want = expected[table.name];
    const got = loaded[table.name];
    if (!got || got.rows !== want.rows || got.checksum !== want.checksum) {
      return `reconciliation failed for ${table.name}: DuckDB has ${want.rows} rows (checksum ${want.checksum}), PostgreSQL has ${got?.rows ?? 0} rows (checksum ${got?.checksum ?? '-'})`;
    }
  }
  return null;
}

/** [first, last] rating_key per job, contiguous and about equal; one empty range when the table is empty. */
export function keyRanges(keys: {min: number; max: number} | null, jobs: number): [number, number][] {
  if (!keys) return [[1, 0]];
  const span = keys.max - keys.min + 1;
  const size = Math.ceil(span / jobs);
  const ranges: [number, number][] = [];
  for (let first = keys.min; first <= keys.max; first += size) ranges.push([first, Math.min(keys.max, first + size - 1)]);
  return ranges;
}

/**
 * After a failure before the swap (every statement of the run has settled by then): drop the staging schema
 * while still holding the lock. Best effort: when the control connection is gone, so is the lock, and the
 * next export removes what is left.
 */
async function abandon(control: pg.Client, names: SchemaNames): Promise<void> {
  try {
    await control.query('ROLLBACK');
    await dropStaging(control, names);
  } catch (err) {
    log().warn(`staging schema ${names.staging} was left behind (${(err as Error).message}); the next export into "${names.target}" removes it`);
  }
}

/**
 * Runs tasks side by side and waits for all of them; on the first failure `cancel` stops the others, and that
 * first error is thrown once everything has settled (so no statement is left running on a connection).
 */
async function allOrCancel<T>(tasks: Promise<T>[], cancel: () => Promise<void> | void): Promise<T[]> {
  let first: {error: unknown} | undefined;
  const settled = await Promise.allSettled(
    tasks.map((task) =>
      task.catch(async (error: unknown) => {
        if (!first) {
          first = {error};
          await Promise.resolve(cancel()).catch(() => undefined);
        }
        throw error;
      }),
    ),
  );
  if (first) throw first.error;
  return settled.map((r) => (r as PromiseFulfilledResult<T>).value);
}

function round(seconds: number): number {
  return Number(seconds.toFixed(3));
}
