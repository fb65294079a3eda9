import {Flags} from '@oclif/core';
import {NfxCommand} from '../base-command.js';
import {renderTransformSummary} from '../render/transform-summary.js';
import type {TransformSummary} from '../transforms/pipeline.js';

export default class Transform extends NfxCommand {
  static override summary = 'Parse raw Netflix Prize files into a star schema in a DuckDB file.';

  static override description = `Reads combined_data_*.txt (Kaggle layout) and/or training_set/mv_*.txt (original layout), plain or .gz, plus movie_titles.csv|txt and, when present, probe.txt and qualifying.txt (plain or .gz), and builds dim_date, dim_movie, dim_customer, fact_ratings (is_probe marks the probe set), fact_qualifying, the aggregate tables agg_movie, agg_date, agg_customer_year and agg_movie_month, rejects, etl_run, source_file and the views v_daily_rating_summary and v_movie_performance in one DuckDB file.

Every non-blank input line ends up as a header, a fact row or a row of the rejects table (with file, line number and reason); the accounting is checked at the end of each run. The database file is built next to --db and replaces it only when the run succeeds: a failed or interrupted run leaves it as it was.

--append adds the files of --data that the warehouse --db does not hold yet: files already loaded (same sha256) are skipped, a loaded rating file whose bytes changed is refused, keys of stored rows never change, and the result equals a full transform of all the files (README: Incremental loads).

Exit codes: 0 success, 2 bad input or flag, 3 --max-reject-rate exceeded, 1 a bug in nfx.`;

  static override examples = [
    '<%= config.bin %> transform --data ./netflix-prize',
    '<%= config.bin %> transform --data ./netflix-prize --db warehouse.duckdb --threads 2 --memory-limit 2GB',
    '<%= config.bin %> transform --data ./sample --max-reject-rate 0.05 --json',
    '<%= config.bin %> transform --append --data ./netflix-prize --db warehouse.duckdb',
  ];

  static override flags = {
    data: Flags.directory({char: 'd', description: 'Folder with the Netflix Prize files.', env: 'NFX_DATA', required: true}),
    db: Flags.string({description: 'DuckDB file to write (replaced atomically).', env: 'NFX_DB', default: './netflix.duckdb'}),
    threads: Flags.integer({description: 'DuckDB worker threads [default: number of cores].', min: 1}),
    'memory-limit': Flags.string({description: 'DuckDB memory limit; larger sorts spill to disk next to --db.', default: '1GB'}),
    'max-reject-rate': Flags.string({
      description:
        'Fail (exit 3, nothing written) when the syntax rejects of rating, probe and qualifying lines exceed this fraction of their non-blank lines (duplicate, probe_not_rated, unknown_movie and unknown_customer do not count).',
      default: '0.01',
    }),
    'titles-encoding': Flags.option({
      description: 'Encoding of movie_titles: auto = UTF-8 when the whole file is valid UTF-8, else Latin-1.',
      options: ['auto', 'latin1', 'utf8'] as const,
      default: 'auto',
    })(),
    append: Flags.boolean({description: 'Add the new files of --data to the existing warehouse --db instead of rebuilding it.', default: false}),
    'date-from': Flags.string({description: 'First day of dim_date (YYYY-MM-DD) [default: Jan 1 of the first rating year].'}),
    'date-to': Flags.string({description: 'Last day of dim_date (YYYY-MM-DD) [default: Dec 31 of the last rating year].'}),
  };

  async run(): Promise<TransformSummary> {
    const {flags} = await this.parse(Transform);
    // loaded here, not at the top: every nfx invocation imports every command file
    const {runTransform} = await import('../transforms/pipeline.js');
    const summary = await runTransform({
      dataDir: flags.data,
      db: flags.db,
      threads: flags.threads,
      memoryLimit: flags['memory-limit'],
      maxRejectRate: Number(flags['max-reject-rate']),
      titlesEncoding: flags['titles-encoding'],
      dateFrom: flags['date-from'],
      dateTo: flags['date-to'],
      append: flags.append,
    });
    this.report(renderTransformSummary(summary));
    return summary;
  }
}
