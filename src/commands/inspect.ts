import {Flags} from '@oclif/core';
import {NfxCommand} from '../base-command.js';
import type {WarehouseInspection} from '../analysis/inspect.js';

export default class Inspect extends NfxCommand {
  static override summary = 'Describe a warehouse: tables, dates, the run that built it, and its data quality.';

  static override description = [
    'Opens the DuckDB file read-only and reports: every table and view with its row count and approximate size on disk; the first and last rating date; the last transform (when, how long, nfx version, and each input file with its bytes, sha256 and line accounting); and data quality: rejects by reason with the first three examples of each, duplicates dropped, movies without a title, ratings outside 1..5 and fact rows whose keys have no dimension row.',
    'Exit codes: 0 success, 2 the file is missing, locked, or not an nfx warehouse, 1 a bug in nfx.',
  ].join('\n\n');

  static override examples = ['<%= config.bin %> inspect', '<%= config.bin %> inspect --db warehouse.duckdb --json'];

  static override flags = {
    db: Flags.string({description: 'The DuckDB file nfx transform wrote.', env: 'NFX_DB', default: './netflix.duckdb'}),
  };

  async run(): Promise<WarehouseInspection> {
    const {flags} = await this.parse(Inspect);
    // loaded here, not at the top: every nfx invocation imports every command file, and DuckDB is large
    const {openWarehouse} = await import('../analysis/warehouse.js');
    const {inspectWarehouse} = await import('../analysis/inspect.js');
    const {renderInspection} = await import('../analysis/render-inspection.js');
    const warehouse = await openWarehouse(flags.db);
    try {
      const inspection = await inspectWarehouse(warehouse.connection, warehouse.path);
      if (!this.jsonEnabled() && !flags.quiet) this.log(renderInspection(inspection));
      return inspection;
    } finally {
      warehouse.close();
    }
  }
}
