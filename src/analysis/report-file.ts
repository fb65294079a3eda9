import {renameSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {dirname, resolve} from 'node:path';
import {fsErrorToUser, UserError} from '../errors.js';
import {buildHtmlReport} from './html-report.js';
import {openWarehouse} from './warehouse.js';

export interface ReportFileSummary {
  out: string;
  db: string;
  bytes: number;
  kilobytes: number;
  charts: {id: string; title: string; drawn: boolean}[];
}

/** Builds the HTML report of `db` and writes it to `out`: to a temporary file beside it, then renamed. */
export async function writeHtmlReport(db: string, out: string): Promise<ReportFileSummary> {
  const path = resolve(out);
  const folder = dirname(path);
  let folderIsDir = false;
  try {
    folderIsDir = statSync(folder).isDirectory();
  } catch {
    // reported below
  }
  if (!folderIsDir) throw new UserError(`cannot write ${path}: folder ${folder} does not exist; create it or pick another --out`);
  try {
    if (statSync(path).isDirectory()) throw new UserError(`--out ${path} is a directory; name the HTML file to write, like ${path}/report.html`);
  } catch (err) {
    if (err instanceof UserError) throw err;
  }

  const warehouse = await openWarehouse(db);
  let report;
  try {
    report = await buildHtmlReport(warehouse.connection, warehouse.path);
  } finally {
    warehouse.close();
  }
  const partial = `${path}.${process.pid}.partial`;
  try {
    writeFileSync(partial, report.html);
    renameSync(partial, path);
  } catch (err) {
    rmSync(partial, {force: true});
    throw fsErrorToUser(err, 'report file');
  }
  const bytes = Buffer.byteLength(report.html);
  return {out: path, db: warehouse.path, bytes, kilobytes: Math.round(bytes / 1024), charts: report.charts};
}
