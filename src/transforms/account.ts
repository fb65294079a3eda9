import type {DuckDBConnection} from '@duckdb/node-api';
import {loadSql} from '../sql.js';

export interface FileAccount {
  path: string;
  nonBlank: number;
  headers: number;
  accepted: number;
  rejected: number;
  kind: string;
}

/**
 * Checks the contract's line accounting from the stored tables: for every file
 * headers + accepted + rejected = non-blank lines, and the accepted lines of each kind add up to their rows
 * (ratings: fact_ratings; probe: the rows flagged is_probe; qualifying: fact_qualifying).
 * A mismatch is a bug in nfx, never a data problem, so it throws a plain Error (exit code 1).
 */
export async function checkLineAccounting(connection: DuckDBConnection): Promise<FileAccount[]> {
  const reader = await connection.runAndReadAll(loadSql('duckdb', '90_accounting'));
  const accounts: FileAccount[] = [];
  for (const row of reader.getRowObjectsJS()) {
    const account = {
      path: String(row.path),
      nonBlank: Number(row.non_blank),
      headers: Number(row.headers),
      accepted: Number(row.accepted),
      rejected: Number(row.rejected),
      kind: String(row.kind),
    };
    if (account.headers + account.accepted + account.rejected !== account.nonBlank) {
      throw new Error(
        `line accounting failed for ${account.path}: ${account.headers} headers + ${account.accepted} accepted + ${account.rejected} rejected != ${account.nonBlank} non-blank lines`,
      );
    }
    const rows = {ratings: 'fact_ratings has', probe: 'fact_ratings flags is_probe on', qualifying: 'fact_qualifying has'}[String(row.kind)];
    if (rows && Number(row.kind_rows) !== Number(row.kind_accepted)) {
      throw new Error(`line accounting failed: ${rows} ${row.kind_rows} rows but the ${row.kind} files account for ${row.kind_accepted} accepted lines`);
    }
    accounts.push(account);
  }
  return accounts;
}
