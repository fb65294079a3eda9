/**
 * Temporary directories for tests that write files (DuckDB databases, exports, generated inputs).
 *
 *   const dir = tempDir();                    // /tmp/nfx-test-XXXXXX, empty
 *   const dbPath = join(dir, 'nfx.duckdb');
 *
 * The directory is removed, with everything in it, when the test finishes (or after the file, when
 * made in beforeAll or at top level).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerCleanup } from './cleanup.js';

export function tempDir(prefix = 'nfx-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  registerCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
