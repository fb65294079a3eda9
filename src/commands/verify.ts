import {Flags} from '@oclif/core';
import {NfxCommand} from '../base-command.js';
import {QualityError} from '../errors.js';
import type {Verification} from '../analysis/verify.js';

export default class Verify extends NfxCommand {
  static override summary = 'Check that PostgreSQL holds exactly what the DuckDB warehouse holds.';

  static override description = [
    'Compares the schema nfx export published with the DuckDB file: the row count and checksum of every table (the same reconciliation nfx export runs before it publishes), fact rows whose customer, movie or date key has no dimension row, ratings outside 1..5, the row counts of the two views, and each aggregate table (agg_movie, agg_date, agg_customer_year, agg_movie_month) against its recomputation from fact_ratings inside PostgreSQL (a full scan per table: minutes at 100M ratings). Prints both sides and a line per difference.',
    'Connection as for nfx export: --url, else DATABASE_URL, else the PG* variables; .env is read.',
    'Exit codes: 0 PostgreSQL matches DuckDB; 3 they differ (a data problem: the differences are printed, and under --json they are in error.details.verification); 2 a bad flag, a missing, locked or non-nfx DuckDB file, an unreachable server, or a schema with nothing exported in it; 1 a bug in nfx.',
  ].join('\n\n');

  static override examples = [
    '<%= config.bin %> verify --target pg --url postgres://etl@localhost:5432/netflix',
    '<%= config.bin %> verify --target pg --db warehouse.duckdb --schema netflix_dw --json',
  ];

  static override flags = {
    target: Flags.option({description: 'What to compare the warehouse with.', options: ['pg'] as const, default: 'pg'})(),
    db: Flags.string({description: 'The DuckDB file nfx transform wrote.', env: 'NFX_DB', default: './netflix.duckdb'}),
    url: Flags.string({description: 'PostgreSQL URL, postgres://user:password@host:port/database [default: DATABASE_URL, else PG* variables].'}),
    schema: Flags.string({description: 'The PostgreSQL schema nfx export published into.', default: 'netflix_dw'}),
  };

  async run(): Promise<Verification> {
    const {flags} = await this.parse(Verify);
    // loaded here, not at the top: every nfx invocation imports every command file
    const {verifyPostgres} = await import('../analysis/verify.js');
    const {renderVerification} = await import('../analysis/render-verification.js');
    const verification = await verifyPostgres({db: flags.db, url: flags.url, schema: flags.schema});
    if (!this.jsonEnabled() && !flags.quiet) this.log(renderVerification(verification));
    if (!verification.ok) {
      const [first] = verification.differences;
      const more = verification.differences.length > 1 ? ` (and ${verification.differences.length - 1} more)` : '';
      throw new QualityError(`PostgreSQL schema ${verification.schema} differs from ${verification.db}: ${first}${more}`, {verification});
    }
    return verification;
  }
}
