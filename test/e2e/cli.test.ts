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

  it('refuses an unknown command or flag with exit code 2, suggesting the closest command', async () => {
    const unknown = await runNfx(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('nfx: error: unknown command "frobnicate" (nfx --help lists the commands)\n');
    const typo = await runNfx(['tranform', '--data', '.']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe('nfx: error: unknown command "tranform"; did you mean "nfx transform"? (nfx --help lists the commands)\n');
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

  it('summaries say "1 file", "1 fact" and "1 row", never "1 rows"', async () => {
    const dir = tempDir('nfx-one-');
    const data = writeDataset({'combined_data_1.txt': '1:\n5,3,2005-01-01\n'});
    const db = join(dir, 'w.duckdb');
    const transform = await runNfx(['transform', '--data', data, '--db', db]);
    expect(transform.code, transform.stderr).toBe(0);
    expect(transform.stdout).toContain('inputs: 1 file, ');
    expect(transform.stdout).toContain('one of 1 fact, or a reject');
    const exported = await runNfx(['export', '--db', db, '--target', 'csv', '--out', join(dir, 'csv')]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/^ {2}fact_ratings +1 row +\S+ B {2}fact_ratings\.csv$/m);
    expect(exported.stderr).toContain('etl_run: 1 row -> etl_run.csv');
    expect(exported.stdout + exported.stderr).not.toMatch(/\b1 rows\b/);
  });

  it('--help shows no empty default and wraps each description paragraph evenly', async () => {
    for (const command of ['transform', 'quickstart', 'query', 'export', 'generate', 'report', 'inspect', 'verify']) {
      const help = await runNfx([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout, command).not.toContain('[default: ]');
      const description = help.stdout.split('\nDESCRIPTION\n')[1]?.split(/\n[A-Z]+\n/)[0] ?? '';
      for (const paragraph of description.split('\n\n')) {
        const lines = paragraph.split('\n').filter((line) => line.trim() !== '');
        // oclif wraps at 80 columns: when the next line's first word would have fitted on this one (and the next
        // line is not a list item), the description has a hard line break there
        lines.slice(0, -1).forEach((line, i) => {
          const nextWord = lines[i + 1].trim().split(' ')[0];
          if (!nextWord.startsWith('-')) expect(line.length + 1 + nextWord.length, `${command}: "${line}" then "${nextWord}"`).toBeGreaterThan(80);
        });
      }
    }
  });

  it('nfx query names the statement it refuses: INSTALL is not called LOAD', async () => {
    const db = join(tempDir('nfx-install-'), 'w.duckdb');
    expect((await runNfx(['transform', '--data', writeDataset({'combined_data_1.txt': '1:\n5,3,2005-01-01\n'}), '--db', db, '--quiet'])).code).toBe(0);
    const install = await runNfx(['query', 'INSTALL httpfs', '--db', db]);
    expect(install.code).toBe(2);
    expect(install.stderr).toBe('nfx: error: refused: nfx query is read-only and runs only SELECT queries, not INSTALL statements\n');
    expect((await runNfx(['query', 'LOAD httpfs', '--db', db])).stderr).toContain('not LOAD statements');
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
