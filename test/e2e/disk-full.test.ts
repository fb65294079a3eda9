import {execFileSync} from 'node:child_process';
import {readdirSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runNfx, type CliResult} from '../helpers/cli.js';
import {sha256} from '../helpers/sha256.js';
import {tempDir} from '../helpers/tmp.js';

// A full disk, for real: a 6 MB tmpfs, which only root may mount (CI runs as root).
const isRoot = process.getuid?.() === 0;

let full: string; // the tmpfs
let data: string; // 1M generated ratings (20 MB): more than the tmpfs holds
let warehouse: string; // their warehouse (7 MB), on the ordinary disk

beforeAll(async () => {
  if (!isRoot) return;
  full = tempDir('nfx-full-');
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=6m', 'tmpfs', full]);
  data = join(tempDir('nfx-full-data-'), 'data');
  expect((await runNfx(['generate', '--out', data, '--ratings', '1M', '--quiet'])).code).toBe(0);
  warehouse = join(tempDir('nfx-full-db-'), 'w.duckdb');
  expect((await runNfx(['transform', '--data', data, '--db', warehouse, '--quiet'])).code).toBe(0);
}, 120_000);

afterAll(() => {
  if (isRoot && full) execFileSync('umount', [full]);
});

/** One line, exit 2: out of disk space in `dir`, how much is free there, roughly what the run needs. */
function expectDiskFull(result: CliResult, dir: string, writing: string, kept: string): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  const where = dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  expect(result.stderr).toMatch(
    new RegExp(`^nfx: error: out of disk space in ${where} \\(\\d+\\.\\d MB free of \\d+\\.\\d MB\\) while writing ${writing}; the run needs roughly \\d+\\.\\d MB there \\(.+\\): free some space or point --\\w+ at another disk\\. ${kept}\n$`),
  );
}

describe.skipIf(!isRoot)('a full disk is a usage error, not a bug (skipped unless root: it mounts a 6 MB tmpfs)', () => {
  it('nfx transform: exit 2 naming the directory and the space, the previous warehouse intact, no temporary files', async () => {
    const db = join(full, 'w.duckdb');
    const small = join(tempDir('nfx-full-small-'), 'data');
    expect((await runNfx(['generate', '--out', small, '--ratings', '20k', '--quiet'])).code).toBe(0);
    expect((await runNfx(['transform', '--data', small, '--db', db, '--quiet'])).code).toBe(0);
    const before = sha256(db);
    const result = await runNfx(['transform', '--data', data, '--db', db, '--quiet']);
    expectDiskFull(result, full, 'the warehouse', `${db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is as it was and the temporary files are removed\\.`);
    expect(sha256(db)).toBe(before);
    expect(readdirSync(full)).toEqual(['w.duckdb']);
  });

  it.each(['csv', 'parquet'])('nfx export --target %s: exit 2, nothing left in --out', async (format) => {
    const out = join(full, `export-${format}`);
    const result = await runNfx(['export', '--db', warehouse, '--target', format, '--out', out, '--quiet']);
    expectDiskFull(result, full, `the ${format} files`, `Nothing was left in ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} and the temporary files are removed\\.`);
    expect(readdirSync(full).filter((name) => name.startsWith('export-'))).toEqual([]);
  });

  it.each([[[]], [['--gzip']]])('nfx generate %j: exit 2, and the files it wrote are removed', async (extra) => {
    const out = join(full, 'generated');
    const result = await runNfx(['generate', '--out', out, '--ratings', '1M', ...extra]);
    expectDiskFull(result, out, 'the data set', 'The files it wrote are removed\\.');
    expect(readdirSync(full).filter((name) => name !== 'w.duckdb')).toEqual([]);
  });
});
