/** Runs a ready report or a query in-process, through the same path as nfx query, and returns its rows. */
import {streamQuery} from '../../src/analysis/query.js';
import {requireKnownIds} from '../../src/analysis/report-ids.js';
import {bindReportParams} from '../../src/analysis/report-params.js';
import {loadReport} from '../../src/analysis/reports.js';
import type {RowOutput} from '../../src/analysis/row-output.js';
import type {PlainRow, PlainValue} from '../../src/analysis/values.js';
import {openWarehouse, type Warehouse} from '../../src/analysis/warehouse.js';

export async function runReport(db: string, name: string, params: Record<string, string> = {}): Promise<PlainRow[]> {
  const report = loadReport(name);
  const bound = bindReportParams(report, params);
  return runSql(db, report.sql, bound, (warehouse) => requireKnownIds(warehouse.connection, report, bound));
}

export async function runSql(db: string, sql: string, params?: Parameters<typeof streamQuery>[1]['params'], before?: (warehouse: Warehouse) => Promise<void>): Promise<PlainRow[]> {
  const warehouse = await openWarehouse(db, {externalAccess: false});
  try {
    await before?.(warehouse);
    const rows: PlainRow[] = [];
    let columns: string[] = [];
    const output: RowOutput = {
      async begin(names) {
        columns = names;
      },
      async rows(chunk: PlainValue[][]) {
        for (const row of chunk) rows.push(Object.fromEntries(columns.map((c, i) => [c, row[i]])));
      },
      async end() {},
    };
    await streamQuery(warehouse.connection, {sql, params}, output);
    return rows;
  } finally {
    warehouse.close();
  }
}
