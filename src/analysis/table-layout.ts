/**
 * Aligned text tables that fit a width: column widths from the header and the rows seen, the widest columns
 * narrowed first when the total is too wide, and a cell longer than its column cut with an ellipsis.
 * Used by `nfx query --format table` (streaming: widths come from the first rows) and by the human output
 * of inspect and verify.
 */

export interface TableColumn {
  name: string;
  /** Numbers are right-aligned. */
  numeric: boolean;
}

export interface TableLayout {
  columns: TableColumn[];
  widths: number[];
}

const GAP = '  ';
const ELLIPSIS = '…';
/** A text column is never narrowed below this (or its natural width, when smaller); numbers are never cut. */
const MIN_WIDTH = 4;

/** The text of a cell: NULL as empty, numbers as JS prints them, lists and objects as JSON; one line. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.replace(/[\r\n\t]+/g, ' ');
}

/** Widths for the columns: each as wide as its longest cell, then text columns narrowed until the row fits maxWidth. */
export function layoutTable(columns: TableColumn[], rows: string[][], maxWidth = Infinity): TableLayout {
  const widths = columns.map((column, i) => rows.reduce((widest, row) => Math.max(widest, [...row[i]].length), [...column.name].length));
  const floor = widths.map((w, i) => (columns[i].numeric ? w : Math.min(w, MIN_WIDTH)));
  const total = () => widths.reduce((sum, w) => sum + w, 0) + GAP.length * Math.max(0, widths.length - 1);
  while (total() > maxWidth) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) if (widths[i] > floor[i] && (widest < 0 || widths[i] > widths[widest])) widest = i;
    if (widest < 0) break; // every column is at its floor: let the row be wider than the terminal
    widths[widest]--;
  }
  return {columns, widths};
}

/** One line of the table; cells longer than their column end in an ellipsis. */
export function formatTableRow(layout: TableLayout, cells: string[]): string {
  return cells
    .map((cell, i) => {
      const width = layout.widths[i];
      const chars = [...cell];
      const fitted = chars.length > width ? `${chars.slice(0, Math.max(0, width - 1)).join('')}${ELLIPSIS}` : cell;
      const pad = ' '.repeat(Math.max(0, width - Math.min(chars.length, width)));
      return layout.columns[i].numeric ? pad + fitted : fitted + pad;
    })
    .join(GAP)
    .trimEnd();
}

/** The header line and the rule under it. */
export function formatTableHeader(layout: TableLayout): string[] {
  return [formatTableRow(layout, layout.columns.map((c) => c.name)), layout.widths.map((w) => '-'.repeat(w)).join(GAP)];
}

/** A whole table held in memory (the small tables of inspect and verify). */
export function formatTable(columns: TableColumn[], rows: unknown[][], maxWidth = Infinity): string[] {
  const cells = rows.map((row) => row.map(cellText));
  const layout = layoutTable(columns, cells, maxWidth);
  return [...formatTableHeader(layout), ...cells.map((row) => formatTableRow(layout, row))];
}

/** The width tables should fit: the terminal's, else $COLUMNS, else none (a pipe or a file gets whole cells). */
export function outputWidth(stream: NodeJS.WriteStream = process.stdout): number {
  if (stream.isTTY && stream.columns) return stream.columns;
  const columns = Number(process.env.COLUMNS);
  return Number.isInteger(columns) && columns > 0 ? columns : Infinity;
}
