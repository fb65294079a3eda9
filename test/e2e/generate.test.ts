import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, test} from 'vitest';
import type {GenerateResult} from '../../src/generate/generate.js';
import {runNfx} from '../helpers/cli.js';
import {tempDir} from '../helpers/tmp.js';

// `nfx generate` as a user runs it: the built binary in a child process (npm test builds first).

describe('nfx generate', () => {
  test('--ratings 20000 --json exits 0 and prints the result as JSON', async () => {
    const out = join(tempDir(), 'data');
    const run = await runNfx(['generate', '--out', out, '--ratings', '20000', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = run.json<GenerateResult>();
    expect(result).toMatchObject({out, layout: 'combined', seed: 42, ratings: 20_000, movies: 20, customers: 4000, dirty: false});
    expect(result.files.map((f) => f.path)).toEqual([
      'combined_data_1.txt',
      'combined_data_2.txt',
      'combined_data_3.txt',
      'combined_data_4.txt',
      'probe.txt',
      'qualifying.txt',
      'movie_titles.csv',
    ]);
    expect(result.files.filter((f) => !/^(probe|qualifying)/.test(f.path)).reduce((n, f) => n + f.lines, 0)).toBe(20_000 + 20 + 20);
    expect(result.expected).toBe(join(out, 'expected.json'));
    expect(JSON.parse(readFileSync(result.expected, 'utf8')).fact_ratings).toBe(20_000);
  });

  test('prints a one-line summary without --json', async () => {
    const out = join(tempDir(), 'data');
    const run = await runNfx(['generate', '--out', out, '--ratings', '5000', '--layout', 'training-set']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(run.stdout).toMatch(/^generated 5000 ratings \(20 movies, 1000 customers, seed 42, training-set\) in 20 rating files \+ probe\.txt, qualifying\.txt, movie_titles\.txt: /);
  });

  test('bad flags exit 2 with a one-line message naming the problem', async () => {
    const cases: [string[], string][] = [
      [['--ratings', 'lots'], '--ratings must be a whole number such as 20000 or 10M (got "lots")'],
      [['--ratings', '100', '--movies', '5', '--customers', '10'], '--ratings (100) exceeds --movies x --customers (50)'],
      [['--no-such-flag'], 'Nonexistent flag'],
    ];
    const out = join(tempDir(), 'data');
    const runs = await Promise.all(cases.map(([args]) => runNfx(['generate', '--out', out, ...args])));
    runs.forEach((run, i) => {
      expect(run.code, `${cases[i][0].join(' ')}: ${run.stderr}`).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toContain(cases[i][1]);
    });
  });

  test('a non-empty --out is refused (exit 2) unless --force, which replaces only generated files', async () => {
    const out = tempDir();
    writeFileSync(join(out, 'notes.md'), 'mine');
    writeFileSync(join(out, 'combined_data_9.txt'), 'stale');
    const refused = await runNfx(['generate', '--out', out, '--ratings', '2000']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is not empty');
    const forced = await runNfx(['generate', '--out', out, '--ratings', '2000', '--force', '--quiet']);
    expect(forced.code).toBe(0);
    expect(forced.stdout + forced.stderr).toBe('');
    expect(readdirSync(out).sort()).toEqual([
      'combined_data_1.txt',
      'combined_data_2.txt',
      'combined_data_3.txt',
      'combined_data_4.txt',
      'expected.json',
      'movie_titles.csv',
      'notes.md',
      'probe.txt',
      'qualifying.txt',
    ]);
  });

  test('an --out that is a file is a usage error', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'file'), '');
    const run = await runNfx(['generate', '--out', join(dir, 'sub', 'file')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is a file');
  });

  test('--help lists every flag with a description', async () => {
    const run = await runNfx(['generate', '--help']);
    expect(run.code).toBe(0);
    for (const flag of ['--out', '--ratings', '--movies', '--customers', '--seed', '--layout', '--dirty', '--gzip', '--force', '--json']) {
      expect(run.stdout).toMatch(new RegExp(`${flag}\\S*\\s+\\S.*`));
    }
  });
});
