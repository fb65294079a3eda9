import type {DuckDBAppender, DuckDBConnection} from '@duckdb/node-api';
import {loadSql} from '../sql.js';
import type {InputFile} from './discover.js';
import {readInput} from './read.js';

const LF = 10;

/**
 * Writes a `duplicate` reject for every occurrence the duplicate rule dropped, with the line exactly as
 * read. The losers are known only after the SQL ranking, so the files that hold them are read once more,
 * counting lines and keeping just the wanted ones (clean data has none and reads nothing).
 */
export async function rejectDuplicates(connection: DuckDBConnection, files: InputFile[], appender: DuckDBAppender): Promise<number> {
  const result = await connection.runAndReadAll(loadSql('duckdb', '11_duplicate_lines'));
  const wanted = new Map<number, number[]>();
  for (const [fileId, lineNumber] of result.getRows() as [number, number][]) {
    const lines = wanted.get(fileId) ?? [];
    lines.push(Number(lineNumber));
    wanted.set(fileId, lines);
  }
  let total = 0;
  for (const [fileId, lineNumbers] of wanted) {
    let next = 0;
    let lineNumber = 1;
    let carry: Buffer[] = [];
    const take = (bytes: Buffer): void => {
      let end = bytes.length;
      if (end > 0 && bytes[end - 1] === 13) end--;
      appender.appendSmallInt(fileId);
      appender.appendBigInt(BigInt(lineNumber));
      appender.appendVarchar('duplicate');
      appender.appendVarchar(bytes.toString('latin1', 0, end));
      appender.endRow();
      next++;
      total++;
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
  return total;
}
