import {Flags} from '@oclif/core';
import {NfxCommand} from '../base-command.js';
import type {ReportFileSummary} from '../analysis/report-file.js';

export default class Report extends NfxCommand {
  static override summary = 'Write a self-contained HTML report of the warehouse, with charts.';

  static override description = [
    'One HTML file that opens anywhere without a network: the charts are SVG drawn when the report is built (Observable Plot), styles are inline, and there is no script and no web font. It shows ratings per month, the rating distribution, ratings by release year, the most rated movies, customers and movies by number of ratings and the probe RMSE of the baseline by customer activity (the cold-start report), and rejected lines by reason, then the inspect summary as tables: tables and sizes, the last run with its inputs, and data quality. The charts use the same SQL as nfx query --report.',
    'The file is written next to --out and renamed into place when complete.',
    'Exit codes: 0 success, 2 a missing, locked or non-nfx DuckDB file or an --out that cannot be written, 1 a bug in nfx.',
  ].join('\n\n');

  static override examples = ['<%= config.bin %> report --out report.html', '<%= config.bin %> report --db warehouse.duckdb --out /tmp/netflix.html --json'];

  static override flags = {
    db: Flags.string({description: 'The DuckDB file nfx transform wrote.', env: 'NFX_DB', default: './netflix.duckdb'}),
    out: Flags.string({char: 'o', description: 'The HTML file to write (replaced if it exists).', required: true}),
  };

  async run(): Promise<ReportFileSummary> {
    const {flags} = await this.parse(Report);
    // loaded here, not at the top: every nfx invocation imports every command file, and Plot is large
    const {writeHtmlReport} = await import('../analysis/report-file.js');
    const summary = await writeHtmlReport(flags.db, flags.out);
    if (!this.jsonEnabled() && !flags.quiet) {
      this.log(`wrote ${summary.out} (${summary.kilobytes} kB): ${summary.charts.filter((c) => c.drawn).length} charts and the inspect summary; open it in a browser`);
    }
    return summary;
  }
}
