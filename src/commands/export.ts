import {Flags} from '@oclif/core';
import {NfxCommand} from '../base-command.js';
import {UserError} from '../errors.js';
import type {FileExportSummary} from '../export/files.js';
import type {PgExportSummary, PgIncrementalSummary} from '../export/postgres.js';
import {renderFileExportSummary, renderPgExportSummary} from '../export/render.js';

export default class Export extends NfxCommand {
  static override summary = 'Export the star schema to PostgreSQL (binary COPY, atomic publish) or to Parquet/CSV files.';

  static override description = [
    '--target pg (default) streams every table of the DuckDB warehouse into a fresh staging schema with binary COPY (the fact table over --jobs connections), then builds primary keys, unique keys, foreign keys, the rating CHECK and the indexes, creates the views, reconciles row counts and checksums with DuckDB, runs ANALYZE, and swaps the staging schema in for --schema in one short transaction. Readers see the previous load or the new one, never a partial one; an export that fails or is killed before the swap leaves the previous load as it was (one that loses its connection during the swap itself says so: either load may then be in place, each complete), and the next export removes what it left. One export per schema at a time (an advisory lock): a second one fails at once, or queues with --wait.',
    'Incremental: when --schema holds an earlier state of the same warehouse (its etl_run holds the warehouse\'s first runs, and the runs since are appends), only the rows those appends changed are applied, in one transaction on the published schema with its constraints in place; row counts of every table and checksums of the changed rows are reconciled with DuckDB before the commit. Any other target (none yet, another warehouse, a full transform since, a schema changed by hand), --full, or an incremental export that does not reconcile (rolled back) gets a full export; the summary and --json say which (mode, fullReason).',
    'Connection: --url, else DATABASE_URL, else the libpq variables PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE; a .env file in the working directory is read. sslmode (in the URL or PGSSLMODE) follows libpq: disable, prefer (default: TLS when the server offers it), require (encrypted, not verified), verify-ca and verify-full (with sslrootcert=FILE).',
    '--target parquet|csv writes one file per table into --out (fact_ratings partitioned by year for Parquet), built next to --out and renamed into place when complete.',
    'Exit codes: 0 success; 2 bad flag, missing or non-nfx DuckDB file, unreachable server, authentication or permission problem, lost connection; 1 a bug in nfx (a reconciliation mismatch included); 130 interrupted.',
  ].join('\n\n');

  static override examples = [
    '<%= config.bin %> export --url postgres://etl@localhost:5432/netflix',
    '<%= config.bin %> export --db warehouse.duckdb --url "postgres://etl@myserver.postgres.database.azure.com/netflix?sslmode=require" --schema netflix_dw --jobs 4',
    '<%= config.bin %> export --target parquet --out ./netflix-parquet',
    '<%= config.bin %> export --target csv --out ./netflix-csv --json',
  ];

  static override flags = {
    target: Flags.option({description: 'Where to export.', options: ['pg', 'parquet', 'csv'] as const, default: 'pg'})(),
    db: Flags.string({description: 'DuckDB warehouse written by nfx transform.', env: 'NFX_DB', default: './netflix.duckdb'}),
    url: Flags.string({description: 'PostgreSQL URL, postgres://user:password@host:port/database[?sslmode=...] [default: DATABASE_URL, else PG* variables].'}),
    schema: Flags.string({description: 'PostgreSQL schema to publish into (replaced as a whole on each export).', default: 'netflix_dw'}),
    jobs: Flags.integer({description: 'Connections that load the fact table in parallel (rating_key ranges) and build its indexes.', default: 2, min: 1, max: 16}),
    wait: Flags.boolean({description: 'When another export into the same schema is running, wait for it instead of failing.'}),
    'replace-empty-schema': Flags.boolean({
      description: 'Export into an existing schema that nfx did not create (PostgreSQL\'s public, say) when it is empty; its owner and privileges are kept. Without it such a schema is refused.',
    }),
    full: Flags.boolean({description: 'Export every table and swap the schema in, even when the target holds an earlier state of the warehouse that an incremental export could bring up to date.'}),
    out: Flags.string({description: 'Directory for --target parquet|csv (new, empty, or an earlier nfx export, which is replaced).'}),
  };

  async run(): Promise<PgExportSummary | PgIncrementalSummary | FileExportSummary> {
    const {flags} = await this.parse(Export);
    const quiet = this.jsonEnabled() || flags.quiet;
    // loaded here, not at the top: every nfx invocation imports every command file
    if (flags.target === 'pg') {
      if (flags.out !== undefined) throw new UserError('--out is for --target parquet or csv; --target pg writes to the database given by --url');
      const {runPgExport} = await import('../export/postgres.js');
      const summary = await runPgExport({
        db: flags.db,
        url: flags.url,
        schema: flags.schema,
        jobs: flags.jobs,
        wait: flags.wait,
        replaceEmptySchema: flags['replace-empty-schema'],
        full: flags.full,
      });
      if (!quiet) this.log(renderPgExportSummary(summary));
      return summary;
    }
    if (flags.out === undefined) throw new UserError(`--target ${flags.target} needs --out DIR, the directory to write the files into`);
    if (flags.url !== undefined) throw new UserError(`--url is for --target pg; --target ${flags.target} writes files into --out`);
    if (flags.full) throw new UserError(`--full is for --target pg; --target ${flags.target} always writes every table`);
    const {runFileExport} = await import('../export/files.js');
    const summary = await runFileExport({db: flags.db, out: flags.out, format: flags.target});
    if (!quiet) this.log(renderFileExportSummary(summary));
    return summary;
  }
}
