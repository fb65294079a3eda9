import {copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {beforeAll, describe, expect, it} from 'vitest';
import type {ReportFileSummary} from '../../src/analysis/report-file.js';
import {generatedWarehouse, holdDuckDBLock, notAWarehouse, type GeneratedWarehouse} from '../analysis/fixtures.js';
import {REPO_ROOT, runNfx} from '../helpers/cli.js';
import {tempDir} from '../helpers/tmp.js';

// Debian's chromium package (.ci/run installs it); NFX_CHROMIUM points elsewhere.
const CHROMIUM = process.env.NFX_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
// the README's screenshot is refreshed with NFX_UPDATE_SCREENSHOT=1; otherwise it goes to a temp folder,
// so that running the tests leaves the checkout as it was
const SCREENSHOT = process.env.NFX_UPDATE_SCREENSHOT ? join(REPO_ROOT, 'docs', 'report-screenshot.png') : join(tempDir('nfx-shot-'), 'report-screenshot.png');
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`[nfx tests] skipping the report's browser test: no Chromium at ${CHROMIUM} (apt-get install chromium, or set NFX_CHROMIUM)`);

// synthetic data only: the screenshot is committed (docs/report-screenshot.png)
let warehouse: GeneratedWarehouse;
beforeAll(async () => {
  warehouse = await generatedWarehouse({ratings: '200000', seed: '1', dirty: true});
});

async function writeReport(): Promise<{out: string; summary: ReportFileSummary}> {
  const out = join(tempDir('nfx-report-'), 'report.html');
  const result = await runNfx(['report', '--db', warehouse.db, '--out', out, '--json']);
  expect(result.code, result.stderr).toBe(0);
  return {out, summary: result.json<ReportFileSummary>()};
}

describe('nfx report (CLI)', () => {
  it('writes one HTML file with seven charts and says where', async () => {
    const out = join(tempDir('nfx-report-'), 'report.html');
    const result = await runNfx(['report', '--db', warehouse.db, '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^wrote .*report\.html \(\d+ kB\): 7 charts and the inspect summary; open it in a browser\n$/);
    expect(readdirSync(dirname(out))).toEqual(['report.html']);
    const html = readFileSync(out, 'utf8');
    expect(html.match(/<svg /g)).toHaveLength(7);
    expect(html).not.toMatch(/<script|<link|<img|@import|@font-face|url\(/i);
  });

  it('--json describes the file and its charts', async () => {
    const {out, summary} = await writeReport();
    expect(summary).toMatchObject({out, db: warehouse.db, bytes: statSync(out).size});
    expect(summary.charts.map((c) => [c.id, c.drawn])).toEqual([
      ['ratings-per-month', true],
      ['rating-distribution', true],
      ['ratings-by-release-year', true],
      ['top-movies', true],
      ['cold-start', true],
      ['cold-start-probe', true],
      ['rejects-by-reason', true],
    ]);
  });

  it('refuses an --out in a folder that does not exist with exit code 2', async () => {
    const out = join(tempDir('nfx-report-'), 'no', 'report.html');
    const result = await runNfx(['report', '--db', warehouse.db, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^nfx: error: cannot write .*report\.html: folder .*no does not exist; create it or pick another --out\n$/);
  });

  it.each([['missing'], ['text'], ['other-duckdb']] as const)('refuses a %s DuckDB file with exit code 2 and writes nothing', async (kind) => {
    const out = join(tempDir('nfx-report-'), 'report.html');
    const result = await runNfx(['report', '--db', await notAWarehouse(kind), '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^nfx: error: .*(not found|not a DuckDB database file|not an nfx warehouse)/);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a locked DuckDB file with exit code 2', async () => {
    const db = join(tempDir('nfx-lock-'), 'netflix.duckdb');
    copyFileSync(warehouse.db, db);
    const lock = await holdDuckDBLock(db);
    try {
      const result = await runNfx(['report', '--db', db, '--out', join(dirname(db), 'report.html')]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/is in use by another process/);
    } finally {
      await lock.release();
    }
  });
});

describe.skipIf(!hasChromium)(`nfx report in headless Chromium (${CHROMIUM})`, () => {
  it('renders every chart with its marks, fetches nothing, logs no error, and saves a screenshot', async () => {
    const {out} = await writeReport();
    const {chromium} = await import('playwright-core');
    const browser = await chromium.launch({executablePath: CHROMIUM, args: CHROMIUM_ARGS});
    try {
      const page = await browser.newPage({viewport: {width: 1400, height: 900}});
      const errors: string[] = [];
      const fetched: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(String(error)));
      page.on('requestfailed', (request) => errors.push(`failed: ${request.url()}`));
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith('file:')) return route.continue();
        fetched.push(url);
        return route.abort();
      });
      await page.goto(pathToFileURL(out).href, {waitUntil: 'load'});

      const charts = await page.locator('figure').evaluateAll((figures) =>
        figures.map((figure) => {
          const svg = figure.querySelector('svg');
          const box = svg?.getBoundingClientRect();
          return {
            id: figure.id,
            width: Math.round(box?.width ?? 0),
            height: Math.round(box?.height ?? 0),
            bars: figure.querySelectorAll('[aria-label="bar"] rect, [aria-label="rect"] rect').length,
            lines: figure.querySelectorAll('[aria-label="line"] path').length,
            ticks: figure.querySelectorAll('[aria-label$="tick label"] text').length,
          };
        }),
      );
      expect(charts.map((c) => c.id)).toEqual(['ratings-per-month', 'rating-distribution', 'ratings-by-release-year', 'top-movies', 'cold-start', 'cold-start-probe', 'rejects-by-reason']);
      for (const chart of charts) {
        expect(chart.width, chart.id).toBeGreaterThan(300);
        expect(chart.height, chart.id).toBeGreaterThan(100);
        expect(chart.ticks, chart.id).toBeGreaterThan(2);
      }
      expect(charts.find((c) => c.id === 'ratings-per-month')!.lines).toBe(1);
      expect(charts.find((c) => c.id === 'rating-distribution')!.bars).toBe(5);
      expect(charts.find((c) => c.id === 'top-movies')!.bars).toBe(15);
      expect(charts.find((c) => c.id === 'cold-start')!.bars).toBe(16);
      expect(charts.find((c) => c.id === 'cold-start-probe')!.bars).toBeGreaterThan(2);
      // --dirty data has every reject reason: the nine of rating and title lines and the three of probe and qualifying lines
      expect(charts.find((c) => c.id === 'rejects-by-reason')!.bars).toBe(12);
      expect(charts.find((c) => c.id === 'ratings-by-release-year')!.bars).toBeGreaterThan(5);
      expect(await page.locator('#quality table').first().textContent()).toContain('duplicate');

      expect(errors).toEqual([]);
      expect(fetched).toEqual([]);
      mkdirSync(dirname(SCREENSHOT), {recursive: true});
      await page.screenshot({path: SCREENSHOT, fullPage: true});
      expect(statSync(SCREENSHOT).size).toBeGreaterThan(50_000);
    } finally {
      await browser.close();
    }
  });
});
