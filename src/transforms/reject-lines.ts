import type {DuckDBAppender, DuckDBConnection} from '@duckdb/node-api';
import {loadSql} from '../sql.js';
import type {InputFile} from './discover.js';
import {readInput} from './read.js';

const LF = 10;
const CR = 13;

/**
 * Writes a reject for every line a rule decided in SQL rejected (the duplicate rule, the probe and
 * qualifying rules), with the line exactly as read. Those lines are known only after the SQL ran, and the
 * parse stage staged no raw text for lines it accepted, so the files that hold them are read once more,
 * counting lines and keeping just the wanted ones (clean data has none and reads nothing). `query` names a
 * sql/duckdb file returning (file_id, line_number, reason) in file and line order; `files[file_id]` is the
 * file. Returns the rejects written per reason.
 */
export async function rejectLinesAgain(connection: DuckDBConnection, files: readonly InputFile[], appender: DuckDBAppender, query: string): Promise<Map<string, number>> {
  const result = await connection.runAndReadAll(loadSql('duckdb', query));
  const wanted = new Map<number, {lineNumbers: number[]; reasons: string[]}>();
  for (const [fileId, lineNumber, reason] of result.getRows() as [number, number | bigint, string][]) {
    const lines = wanted.get(fileId) ?? {lineNumbers: [], reasons: []};
    lines.lineNumbers.push(Number(lineNumber));
    lines.reasons.push(reason);
    wanted.set(fileId, lines);
  }
  const byReason = new Map<string, number>();
  for (const [fileId, {lineNumbers, reasons}] of wanted) {
    let next = 0;
    let lineNumber = 1;
    let carry: Buffer[] = [];
    const take = (bytes: Buffer): void => {
      let end = bytes.length;
      if (end > 0 && bytes[end - 1] === CR) end--;
      appender.appendSmallInt(fileId);
      appender.appendBigInt(BigInt(lineNumber));
      appender.appendVarchar(reasons[next]);
      appender.appendVarchar(bytes.toString('latin1', 0, end));
      appender.endRow();
      byReason.set(reasons[next], (byReason.get(reasons[next]) ?? 0) + 1);
      next++;
    };
    await readInput(files[fileId], (chunk) => {
      let start = 0;
      while (next < lineNumbers.length) {
        const lf = chunk.indexOf(LF, start);
        if (lf < 0) break;
        if (lineNumber === lineNumbers[next]) take(Buffer.concat([...carry, chunk.subarray(start, lf)]));
        carry = [];
        lineNumber++;
        start = lf + 1;
      }
      if (next < lineNumbers.length && start < chunk.length && lineNumber === lineNumbers[next]) carry.push(Buffer.from(chunk.subarray(start)));
    });
    if (next < lineNumbers.length && lineNumber === lineNumbers[next]) take(Buffer.concat(carry));
  }
  return byReason;
}
