import {readFileSync} from 'node:fs';
import {Args, Flags} from '@oclif/core';
import {NfxCommand} from '../base-command.js';
import {UserError} from '../errors.js';
import type {QueryRequest} from '../analysis/query.js';
import {QUERY_FORMATS} from '../analysis/query-formats.js';
import {describeReports, loadReport, reportNames} from '../analysis/reports.js';

export default class Query extends NfxCommand {
  static override summary = 'Run a read-only SQL query, or a ready report, against the warehouse.';

  static override description = [
    'Runs one SELECT statement (WITH, VALUES, FROM-first, DESCRIBE and SHOW too) against the DuckDB file, opened read-only and cut off from every other file. A statement that would change or write anything (INSERT, UPDATE, DELETE, CREATE, DROP, COPY ... TO, EXPORT, ATTACH, SET, ...) is refused with exit code 2, and so is input with more than one statement. Pass - as the SQL to read it from standard input.',
    `Ready reports (--report NAME; parameters with --param name=value):\n${describeReports()}`,
    'Formats: table (aligned, cut to the terminal width with …; a pipe gets whole cells unless COLUMNS is set), csv (header row, RFC 4180 quoting, LF line ends, NULL as an empty field), json (one array of objects, one object per line), ndjson (one object per line). csv, json and ndjson stream the result chunk by chunk, so a result of any size fits in memory. --json prints json. Counts are JSON numbers; dates are YYYY-MM-DD text.',
    'In free SQL, --param values are bound as text: cast them where needed ($year::INTEGER).',
    'Exit codes: 0 success, 2 a refused statement, an SQL error, a bad --param, or a missing, locked or non-nfx file, 1 a bug in nfx.',
  ].join('\n\n');

  static override examples = [
    '<%= config.bin %> query --report top-movies --param limit=10',
    '<%= config.bin %> query --report movie --param id=28 --format csv',
    '<%= config.bin %> query --report similar-movies --param id=28 --param limit=10',
    `<%= config.bin %> query "SELECT year, count(*) AS ratings FROM fact_ratings JOIN dim_date USING (date_key) GROUP BY year ORDER BY year"`,
    '<%= config.bin %> query --format csv "FROM v_movie_performance" > movies.csv',
    `<%= config.bin %> query 'SELECT * FROM dim_movie WHERE release_year = $year::INTEGER' --param year=1999 --json`,
  ];

  static override args = {
    sql: Args.string({description: 'One SELECT statement (quote it), or - to read it from standard input.'}),
  };

  static override flags = {
    db: Flags.string({description: 'The DuckDB file nfx transform wrote.', env: 'NFX_DB', default: './netflix.duckdb'}),
    report: Flags.string({char: 'r', description: `A ready report instead of SQL: ${reportNames().join(', ')}.`}),
    param: Flags.string({char: 'p', description: 'A parameter as name=value (repeat for more).', multiple: true}),
    format: Flags.option({char: 'f', description: 'How to print the result.', options: QUERY_FORMATS, default: 'table'})(),
  };

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Query);
    // loaded here, not at the top: every nfx invocation imports every command file, and DuckDB is large
    const {streamQuery, textParams} = await import('../analysis/query.js');
    const {bindReportParams, parseParamFlags} = await import('../analysis/report-params.js');
    const {requireKnownIds} = await import('../analysis/report-ids.js');
    const {createRowOutput} = await import('../analysis/row-output.js');
    const {outputWidth} = await import('../analysis/table-layout.js');
    const {TextSink} = await import('../analysis/text-sink.js');
    const {openWarehouse} = await import('../analysis/warehouse.js');
    if (args.sql !== undefined && flags.report) throw new UserError('pass either SQL or --report NAME, not both');
    const given = parseParamFlags(flags.param ?? []);
    const report = flags.report ? loadReport(flags.report) : undefined;
    const bound = report ? bindReportParams(report, given) : undefined;
    let request: QueryRequest;
    if (report) {
      request = {sql: report.sql, params: bound};
    } else if (args.sql !== undefined) {
      request = {sql: args.sql === '-' ? readFileSync(0, 'utf8') : args.sql, params: textParams(given)};
    } else {
      throw new UserError(`pass a SELECT statement, or --report NAME with NAME one of ${reportNames().join(', ')}`);
    }

    const warehouse = await openWarehouse(flags.db, {externalAccess: false});
    try {
      if (report && bound) await requireKnownIds(warehouse.connection, report, bound);
      const sink = new TextSink(process.stdout);
      const output = createRowOutput(this.jsonEnabled() ? 'json' : flags.format, sink, outputWidth());
      await streamQuery(warehouse.connection, request, output, () => sink.closed);
    } finally {
      warehouse.close();
    }
  }
}
