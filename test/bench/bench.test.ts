/**
 * Smoke test of the benchmark script (bench/run.js) at a tiny size: it runs every contestant the
 * machine has, prints the ratio table and writes a results file of the documented shape. Timings are
 * not asserted (that is the benchmark's job), only that they are measured.
 */
import {execFileSync, spawn} from 'node:child_process';
import {readFileSync, readdirSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {REPO_ROOT} from '../helpers/cli.js';
import {createTestDatabase} from '../helpers/pg.js';
import {tempDir} from '../helpers/tmp.js';

interface Stage {
  samples: number[];
  median: number;
  min: number;
  max: number;
  rowsPerSecond: number | null;
  peakRssMiB: number | null;
}

interface BenchResult {
  ratings: number;
  rounds: number;
  machine: {cores: number; node: string; duckdb: string};
  dataset: {bytes: number; ratingBytes: number};
  stages: Record<string, Stage>;
  ratios: Record<string, {ratioOfMedians: number; medianOfPairedRatios: number}>;
  targets: {id: string; met: boolean | null}[];
  skipped: string[];
  errors: unknown[];
}

function hasPsql(): boolean {
  try {
    execFileSync('psql', ['--version'], {stdio: 'ignore'});
    return true;
  } catch {
    return false;
  }
}

function runBench(args: string[], env: Record<string, string>): Promise<{code: number | null; stdout: string; stderr: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bench', 'run.js'), ...args], {cwd: REPO_ROOT, env: {...process.env, ...env}});
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({code, stdout, stderr}));
  });
}

function expectMeasured(stage: Stage | undefined): void {
  expect(stage).toBeDefined();
  expect(stage!.samples).toHaveLength(1);
  expect(stage!.median).toBeGreaterThan(0);
  expect(stage!.min).toBeLessThanOrEqual(stage!.max);
}

describe('npm run bench (bench/run.js)', () => {
  it('runs nfx and the baselines on 20,000 ratings and writes the results JSON', {timeout: 120_000}, async () => {
    const results = tempDir('nfx-bench-results-');
    const withPg = hasPsql();
    const pgArgs = withPg ? ['--url', (await createTestDatabase()).url] : ['--only', 'transform'];
    const run = await runBench(['--ratings', '20000', '--rounds', '1', '--aggregate-compare', '--results', results, ...pgArgs], {NFX_BENCH_CACHE: tempDir('nfx-bench-cache-')});
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toMatch(/ratios nfx \/ baseline/);
    expect(run.stdout).toMatch(/parse: transform\.parse \/ baselineA\.parse/);

    const files = readdirSync(results);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{4}-\d{2}-\d{2}-20000(-transform-only)?\.json$/);
    const result = JSON.parse(readFileSync(join(results, files[0]), 'utf8')) as BenchResult;
    expect(result.ratings).toBe(20000);
    expect(result.rounds).toBe(1);
    expect(result.errors).toEqual([]);
    expect(result.machine.cores).toBeGreaterThan(0);
    expect(result.dataset.ratingBytes).toBeGreaterThan(0);

    for (const id of ['transform', 'transform.parse', 'baselineA', 'baselineA.parse']) expectMeasured(result.stages[id]);
    expect(result.stages.transform.rowsPerSecond).toBeGreaterThan(0);
    expect(result.stages.transform.peakRssMiB).toBeGreaterThan(10);
    expect(result.stages.baselineA.peakRssMiB).toBeGreaterThan(10);
    expect(result.ratios.parse.ratioOfMedians).toBeGreaterThan(0);
    expect(result.ratios.transform.ratioOfMedians).toBeGreaterThan(0);
    // --aggregate-compare: the same build without the aggregate tables, as one more contestant (issue 16)
    expectMeasured(result.stages.transformNoAgg);
    expect(result.ratios['aggregate-overhead'].ratioOfMedians).toBeGreaterThan(0);
    expect(result.targets.map((t) => t.id)).toContain('aggregate-overhead');
    if (withPg) {
      for (const id of ['baselineB', 'baselineB.copy', 'baselineB.constraints']) expectMeasured(result.stages[id]);
      for (const report of ['similar-movies', 'similar-customers', 'top-rated-by-year', 'cold-start']) expectMeasured(result.stages[`report.${report}`]);
      const exportSkipped = result.skipped.some((reason) => reason.startsWith('nfx export'));
      if (!exportSkipped) {
        expectMeasured(result.stages.export);
        expect(result.ratios.export.ratioOfMedians).toBeGreaterThan(0);
        // --aggregate-compare: the export of the warehouse without the aggregate tables, beside nfx's (issue 16)
        expectMeasured(result.stages.exportNoAgg);
        expect(result.ratios['aggregate-export'].ratioOfMedians).toBeGreaterThan(0);
        expect(result.targets.map((t) => t.id)).toContain('aggregate-export');
      }
    }
    expect(result.targets.map((t) => t.id)).toContain('parse-vs-A');
  });
});
