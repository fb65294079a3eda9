import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {runNfx} from '../helpers/cli.js';
import {tempDir} from '../helpers/tmp.js';
import {writeDataset} from '../transform/dataset.js';

describe('nfx (CLI shell)', () => {
  it('lists its commands in --help', async () => {
    const help = await runNfx(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Netflix Prize/);
    for (const command of ['generate', 'transform', 'quickstart']) expect(help.stdout).toMatch(new RegExp(`^\\s+${command}\\s`, 'm'));
  });

  it('refuses an unknown command or flag with exit code 2', async () => {
    expect((await runNfx(['frobnicate'])).code).toBe(2);
    const flag = await runNfx(['transform', '--bogus']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toBe('nfx: error: Nonexistent flag: --bogus (see --help)\n');
  });

  it.each([
    [['transform'], 'missing required flag --data: Folder with the Netflix Prize files'],
    [['generate'], 'missing required flag --out: Directory to write into (created if missing; must be empty unless --force)'],
    [['report'], 'missing required flag --out: The HTML file to write (replaced if it exists)'],
    [['transform', '--data', '.', '--threads', 'two'], '--threads must be a whole number of at least 1 (got "two")'],
    [['transform', '--data', '.', '--threads', '0'], '--threads must be a whole number of at least 1 (got "0")'],
    [['export', '--jobs', '20'], '--jobs must be a whole number from 1 to 16 (got "20")'],
    [['export', '--target', 'mysql'], '--target must be one of pg, parquet, csv (got "mysql")'],
    [['query', 'SELECT 1', '--format', 'xml'], '--format must be one of table, csv, json, ndjson (got "xml")'],
    [['verify', '--target', 'duckdb'], '--target must be one of pg (got "duckdb")'],
    [['inspect', '--db'], 'Flag --db expects a value'],
  ])('a flag error names the flag, the value and what is allowed: nfx %j', async (args, reason) => {
    const run = await runNfx(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`nfx: error: ${reason} (see --help)\n`);
  });

  it('records stage timings, the summary and errors with timestamps in --log-file, also with --quiet', async () => {
    const dir = tempDir('nfx-log-');
    const logFile = join(dir, 'nfx.log');
    const data = writeDataset({'combined_data_1.txt': '1:\n5,3,2005-01-01\n'});
    const ok = await runNfx(['transform', '--data', data, '--db', join(dir, 'w.duckdb'), '--quiet', '--log-file', logFile]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('');
    expect(ok.stderr).toBe('');
    const failed = await runNfx(['transform', '--data', join(dir, 'missing'), '--log-file', logFile]);
    expect(failed.code).toBe(2);
    const lines = readFileSync(logFile, 'utf8').trim().split('\n');
    for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (debug|info|warn|summary|error)\s/);
    expect(lines.some((l) => /debug\s+sql\/duckdb\/50_fact_ratings\.sql: \d+\.\d{3}s$/.test(l))).toBe(true);
    expect(lines.some((l) => /summary\s+\s*fact_ratings\s+1$/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/error\s+data directory not found: .*missing/);
  });
});
