import type {DuckDBConnection} from '@duckdb/node-api';
import {fillSql, loadSql} from '../sql.js';
import type {InputFile} from './discover.js';
import {latin1Line} from './movie-blocks.js';
import {readInput} from './read.js';

const LF = 10;

/**
 * Writes a reject for every line a rule decided in SQL rejected (the duplicate rule, the probe and
 * qualifying rules), with the line exactly as read. Those lines are known only after the SQL ran, and the
 * parse stage staged no raw text for lines it accepted, so the files that hold them are read once more,
 * counting lines and keeping just the wanted ones (clean data has none and reads nothing). `query` names a
 * sql/duckdb file returning (file_id, line_number, reason) in file and line order; `files[file_id]` is the
 * file. The raw lines go to reject_raw, and SQL pairs them with their reasons into stg_reject, so no reason
 * text crosses into JavaScript (decoding 400 K of them cost a second). `into`: stg_reject, or an append's
 * stg_stored_reject for lines of files loaded before. `known`: for a file id, the raw text of its lines by line
 * number, kept when its movie blocks were read (movie-blocks.ts), so the file is not read again. Returns the
 * rejects written per reason.
 */
export async function rejectLinesAgain(
  connection: DuckDBConnection,
  files: readonly InputFile[],
  query: string,
  into = 'stg_reject',
  known: ReadonlyMap<number, ReadonlyMap<number, string>> = new Map(),
): Promise<Map<string, number>> {
  const rejected = loadSql('duckdb', query).trim().replace(/;$/, '');
  const reader = await connection.runAndReadAll(`SELECT file_id, CAST(line_number AS UINTEGER) FROM (${rejected}) ORDER BY file_id, line_number`);
  const wanted = new Map<number, number[]>();
  for (const [fileId, lineNumber] of reader.getRows() as [number, number][]) {
    const lines = wanted.get(fileId) ?? [];
    lines.push(lineNumber);
    wanted.set(fileId, lines);
  }
  if (wanted.size === 0) return new Map();
  const appender = await connection.createAppender('reject_raw');
  try {
    for (const [fileId, lineNumbers] of wanted) {
      const take = (lineNumber: number, raw: string): void => {
        appender.appendInteger(fileId);
        appender.appendUInteger(lineNumber);
        appender.appendVarchar(raw);
        appender.endRow();
      };
      const lines = known.get(fileId);
      if (lines) lineNumbers.forEach((lineNumber) => take(lineNumber, knownLine(lines, lineNumber, files[fileId])));
      else await readLines(files[fileId], lineNumbers, take);
    }
  } finally {
    appender.closeSync();
  }
  await connection.run(fillSql(loadSql('duckdb', '13_reject_raw_lines'), {rejected, into}));
  const counts = await connection.runAndReadAll(`SELECT reason, CAST(count(*) AS INTEGER) FROM (${rejected}) GROUP BY reason`);
  return new Map(counts.getRows() as [string, number][]);
}

/** Calls `take` with each wanted line (ascending numbers) as read, decoded as Latin-1, without its CR; reads no further than the last. */
async function readLines(file: InputFile, lineNumbers: number[], take: (lineNumber: number, raw: string) => void): Promise<void> {
  let next = 0;
  let lineNumber = 1;
  let carry: Buffer[] = [];
  const found = (bytes: Buffer, start: number, end: number): void => {
    take(lineNumber, latin1Line(bytes, start, end));
    next++;
  };
  await readInput(file, (chunk) => {
    let start = 0;
    while (next < lineNumbers.length) {
      const lf = chunk.indexOf(LF, start);
      if (lf < 0) break;
      if (lineNumber === lineNumbers[next]) {
        if (carry.length === 0) found(chunk, start, lf);
        else {
          const line = Buffer.concat([...carry, chunk.subarray(start, lf)]);
          found(line, 0, line.length);
        }
      }
      carry = [];
      lineNumber++;
      start = lf + 1;
    }
    if (next < lineNumbers.length && start < chunk.length && lineNumber === lineNumbers[next]) carry.push(Buffer.from(chunk.subarray(start)));
    // the last wanted line is read: the rest of the file is not (it was hashed on the first read)
    return next < lineNumbers.length;
  }, undefined, {hash: false});
  if (next < lineNumbers.length && lineNumber === lineNumbers[next]) {
    const line = Buffer.concat(carry);
    found(line, 0, line.length);
  }
}

/** A rejected line of a file read by blocks: it is one of the lines staged from them, or nfx has a bug. */
function knownLine(lines: ReadonlyMap<number, string>, lineNumber: number, file: InputFile): string {
  const line = lines.get(lineNumber);
  if (line === undefined) throw new Error(`line ${lineNumber} of ${file.path} is rejected but was not staged from its movie block`);
  return line;
}
