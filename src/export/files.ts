import {existsSync, readdirSync, rmSync, statSync} from 'node:fs';
import {mkdir, rename, rm, writeFile} from 'node:fs/promises';
import {basename, dirname, join, resolve} from 'node:path';
import type {DuckDBConnection} from '@duckdb/node-api';
import {diskFullError, isDiskFull} from '../disk-space.js';
import {UserError, fsErrorToUser} from '../errors.js';
import {log} from '../log.js';
import {plural} from '../progress.js';
import {nfxVersion, sqlString} from '../sql.js';
import {EXPORT_TABLES, FACT_TABLE, columnList, type ExportTable, type TableName} from './tables.js';
import {openWarehouse} from './warehouse.js';
import {processAlive} from '../pid.js';

export type FileFormat = 'parquet' | 'csv';

export interface FileExportOptions {
  db: string;
  out: string;
  format: FileFormat;
}

export interface TableFile {
  table: TableName;
  /** Relative to the output directory: a file, or for the partitioned fact table a directory of year=YYYY/ folders. */
  path: string;
  rows: number;
  bytes: number;
  seconds: number;
}

export interface FileExportSummary {
  format: FileFormat;
  out: string;
  db: string;
  etlRunId: string | null;
  tables: TableFile[];
  replacedPrevious: boolean;
  seconds: number;
}

/** Written last into every export directory; its presence is what lets a later export replace the directory. */
export const MANIFEST = '_nfx_export.json';
const TMP_MARK = '.nfx-tmp-';
const OLD_MARK = '.nfx-old-';

/**
 * nfx export --target parquet|csv: one file per table through DuckDB's COPY ... TO (fact_ratings as Parquet is
 * partitioned by year: fact_ratings/year=YYYY/*.parquet). Everything is written into a directory next to --out,
 * the row counts read back and checked, and only then renamed into place: an interrupted export leaves --out as it was.
 */
export async function runFileExport(options: FileExportOptions): Promise<FileExportSummary> {
  const started = performance.now();
  const out = resolve(options.out);
  const replacedPrevious = checkOutDir(out);
  const warehouse = await openWarehouse(options.db);
  const build = `${out}${TMP_MARK}${process.pid}`;
  try {
    removeLeftovers(out);
    await mkdir(build, {recursive: true}).catch((err: unknown) => {
      throw fsErrorToUser(err, 'output directory');
    });
    const tables: TableFile[] = [];
    for (const table of EXPORT_TABLES) {
      const tableStarted = performance.now();
      const path = await writeTable(warehouse.handle.connection, table, build, options.format);
      const rows = await readBackRows(warehouse.handle.connection, join(build, path), options.format, table === FACT_TABLE);
      const expected = (await warehouse.checksums())[table.name].rows;
      if (rows !== expected) throw new Error(`${options.format} export of ${table.name}: read back ${rows} rows, the warehouse has ${expected}`);
      tables.push({table: table.name, path, rows, bytes: sizeOf(join(build, path)), seconds: Number(((performance.now() - tableStarted) / 1000).toFixed(3))});
      log().info(`${table.name}: ${rows.toLocaleString('en-US')} ${plural(rows, 'row')} -> ${path}`);
    }
    const manifest = {
      nfxVersion: nfxVersion(),
      format: options.format,
      db: warehouse.path,
      etlRunId: warehouse.etlRunId,
      exportedAt: new Date().toISOString(),
      tables: Object.fromEntries(tables.map((t) => [t.table, {path: t.path, rows: t.rows}])),
    };
    await writeFile(join(build, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    await swapInto(build, out);
    return {
      format: options.format,
      out,
      db: warehouse.path,
      etlRunId: warehouse.etlRunId,
      tables,
      replacedPrevious,
      seconds: Number(((performance.now() - started) / 1000).toFixed(3)),
    };
  } catch (err) {
    await rm(build, {recursive: true, force: true});
    if (isDiskFull(err)) throw fileExportDiskFull(out, warehouse.path, options.format, replacedPrevious);
    throw fsErrorToUser(err, 'output directory');
  } finally {
    warehouse.close();
  }
}

/** Measured on 1M ratings: the CSV files take ~4.1x the warehouse file, the Parquet files ~1.3x. */
const OUTPUT_PER_WAREHOUSE_BYTE = {csv: 4.1, parquet: 1.3} as const;

function fileExportDiskFull(out: string, db: string, format: FileFormat, replacedPrevious: boolean): UserError {
  const ratio = OUTPUT_PER_WAREHOUSE_BYTE[format];
  return diskFullError({
    dir: dirname(out),
    writing: `the ${format} files`,
    needs: {bytes: statSync(db).size * ratio, basis: `about ${ratio} times the warehouse file`},
    kept: `${replacedPrevious ? `${out} is as it was` : `Nothing was left in ${out}`} and the temporary files are removed.`,
    flag: '--out',
  });
}

/** --out may be new, empty, or an earlier nfx export (it has the manifest); never someone's other folder. */
function checkOutDir(out: string): boolean {
  if (!existsSync(out)) return false;
  if (!statSync(out).isDirectory()) throw new UserError(`--out ${out} is a file; name a directory to write the export into`);
  const entries = readdirSync(out);
  if (entries.length === 0) return false;
  if (!entries.includes(MANIFEST)) {
    throw new UserError(`--out ${out} is not empty and holds no earlier nfx export (no ${MANIFEST}); name a new or empty directory`);
  }
  return true;
}

/** Build and retired directories of exports whose process is gone. */
function removeLeftovers(out: string): void {
  const dir = dirname(out);
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    for (const mark of [TMP_MARK, OLD_MARK]) {
      const prefix = `${basename(out)}${mark}`;
      if (!name.startsWith(prefix)) continue;
      const pid = Number.parseInt(name.slice(prefix.length), 10);
      if (Number.isInteger(pid) && pid !== process.pid && !processAlive(pid)) rmSync(join(dir, name), {recursive: true, force: true});
    }
  }
}

async function writeTable(connection: DuckDBConnection, table: ExportTable, build: string, format: FileFormat): Promise<string> {
  const columns = columnList(table);
  const select = `SELECT ${columns} FROM ${table.name}`;
  if (format === 'csv') {
    const path = `${table.name}.csv`;
    await connection.run(`COPY (${select}) TO ${sqlString(join(build, path))} (FORMAT csv, HEADER true)`);
    return path;
  }
  if (table === FACT_TABLE) {
    // the partition column lives in the directory names (year=2005/), as Spark, Trino and pandas expect
    await connection.run(`COPY (SELECT ${columns}, CAST(date_key // 10000 AS SMALLINT) AS year FROM ${table.name}) TO ${sqlString(join(build, table.name))} (FORMAT parquet, PARTITION_BY (year))`);
    return table.name;
  }
  const path = `${table.name}.parquet`;
  await connection.run(`COPY (${select}) TO ${sqlString(join(build, path))} (FORMAT parquet)`);
  return path;
}

async function readBackRows(connection: DuckDBConnection, path: string, format: FileFormat, partitioned: boolean): Promise<number> {
  const source =
    format === 'csv'
      ? `read_csv(${sqlString(path)}, header = true, all_varchar = true)`
      : `read_parquet(${sqlString(partitioned ? join(path, '**', '*.parquet') : path)}, hive_partitioning = ${partitioned})`;
  const reader = await connection.runAndReadAll(`SELECT count(*) FROM ${source}`);
  return Number(reader.getRows()[0][0]);
}

/** Moves the finished build over --out: the previous export is renamed away first and removed after. */
async function swapInto(build: string, out: string): Promise<void> {
  await mkdir(dirname(out), {recursive: true});
  const old = `${out}${OLD_MARK}${process.pid}`;
  const hadPrevious = existsSync(out);
  if (hadPrevious) await rename(out, old);
  await rename(build, out);
  if (hadPrevious) await rm(old, {recursive: true, force: true});
}

function sizeOf(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0);
}
