import type {DuckDBType} from '@duckdb/node-api';
import type {QueryFormat} from './query-formats.js';
import {cellText, formatTableHeader, formatTableRow, layoutTable, type TableLayout} from './table-layout.js';
import type {TextSink} from './text-sink.js';
import {isNumericType, type PlainValue} from './values.js';


/** Where a streamed result goes, chunk by chunk (a chunk is at most 2,048 rows). */
export interface RowOutput {
  begin(columns: string[], types: DuckDBType[]): Promise<void>;
  rows(rows: PlainValue[][]): Promise<void>;
  end(rowCount: number): Promise<void>;
}

export function createRowOutput(format: QueryFormat, sink: TextSink, width: number): RowOutput {
  switch (format) {
    case 'csv':
      return new CsvOutput(sink);
    case 'json':
      return new JsonOutput(sink, false);
    case 'ndjson':
      return new JsonOutput(sink, true);
    case 'table':
      return new TableOutput(sink, width);
  }
}

/** RFC 4180 quoting: a field with a comma, double quote, CR or LF is quoted, its quotes doubled. NULL is empty. */
export function csvField(value: PlainValue): string {
  const text = value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV: a header row, then one line per row, lines ending in LF (as DuckDB's own COPY writes them). */
class CsvOutput implements RowOutput {
  constructor(private readonly sink: TextSink) {}

  async begin(columns: string[]): Promise<void> {
    await this.sink.write(`${columns.map(csvField).join(',')}\n`);
  }

  async rows(rows: PlainValue[][]): Promise<void> {
    let text = '';
    for (const row of rows) text += `${row.map(csvField).join(',')}\n`;
    await this.sink.write(text);
  }

  async end(): Promise<void> {}
}

/**
 * json: one JSON array of objects, one object per line, so it parses whole and also reads line by line;
 * ndjson: one object per line and nothing else.
 */
class JsonOutput implements RowOutput {
  private columns: string[] = [];
  private first = true;

  constructor(
    private readonly sink: TextSink,
    private readonly lines: boolean,
  ) {}

  async begin(columns: string[]): Promise<void> {
    this.columns = columns;
    if (!this.lines) await this.sink.write('[');
  }

  async rows(rows: PlainValue[][]): Promise<void> {
    let text = '';
    for (const row of rows) {
      const object: Record<string, PlainValue> = {};
      for (let i = 0; i < row.length; i++) object[this.columns[i]] = row[i];
      text += this.lines ? `${JSON.stringify(object)}\n` : `${this.first ? '\n' : ',\n'}${JSON.stringify(object)}`;
      this.first = false;
    }
    await this.sink.write(text);
  }

  async end(): Promise<void> {
    if (!this.lines) await this.sink.write('\n]\n');
  }
}

/** Rows held back to size the columns; later rows are printed with the same widths (and cut to them). */
const TABLE_SAMPLE_ROWS = 1000;

/** An aligned table that fits the width, with a row count at the end. */
class TableOutput implements RowOutput {
  private layout: TableLayout | undefined;
  private pending: string[][] = [];
  private columns: {name: string; numeric: boolean}[] = [];

  constructor(
    private readonly sink: TextSink,
    private readonly width: number,
  ) {}

  async begin(columns: string[], types: DuckDBType[]): Promise<void> {
    this.columns = columns.map((name, i) => ({name, numeric: isNumericType(types[i])}));
  }

  async rows(rows: PlainValue[][]): Promise<void> {
    const cells = rows.map((row) => row.map(cellText));
    if (this.layout) return this.print(cells);
    this.pending.push(...cells);
    if (this.pending.length >= TABLE_SAMPLE_ROWS) await this.flush();
  }

  async end(rowCount: number): Promise<void> {
    if (!this.layout) await this.flush();
    await this.sink.write(`(${rowCount.toLocaleString('en-US')} ${rowCount === 1 ? 'row' : 'rows'})\n`);
  }

  private async flush(): Promise<void> {
    this.layout = layoutTable(this.columns, this.pending, this.width);
    await this.sink.write(`${formatTableHeader(this.layout).join('\n')}\n`);
    const pending = this.pending;
    this.pending = [];
    await this.print(pending);
  }

  private async print(cells: string[][]): Promise<void> {
    let text = '';
    for (const row of cells) text += `${formatTableRow(this.layout!, row)}\n`;
    await this.sink.write(text);
  }
}
