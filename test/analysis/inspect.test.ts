import {createHash} from 'node:crypto';
import {readFileSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {inspectWarehouse, type WarehouseInspection} from '../../src/analysis/inspect.js';
import {renderInspection} from '../../src/analysis/render-inspection.js';
import {openWarehouse} from '../../src/analysis/warehouse.js';
import {generatedWarehouse, type GeneratedWarehouse} from './fixtures.js';

interface Expected {
  fact_ratings: number;
  dim_movie: number;
  dim_customer: number;
  movies_without_title: number;
  rating_min_date: string;
  rating_max_date: string;
  rejects_by_reason: Record<string, number>;
  files: Record<string, {lines_non_blank: number; blank_lines: number; headers: number; accepted: number; rejected: number}>;
  rejects: {source_file: string; line_number: number; reason: string}[];
}

// --dirty data: every reject kind of the data contract, listed with file and line in expected.json
let warehouse: GeneratedWarehouse;
let expected: Expected;
let inspection: WarehouseInspection;
beforeAll(async () => {
  warehouse = await generatedWarehouse({ratings: '20000', seed: '3', dirty: true});
  expected = JSON.parse(readFileSync(join(warehouse.data, 'expected.json'), 'utf8')) as Expected;
  const opened = await openWarehouse(warehouse.db);
  try {
    inspection = await inspectWarehouse(opened.connection, opened.path);
  } finally {
    opened.close();
  }
});

const lineOf = (file: string, lineNumber: number): string => readFileSync(join(warehouse.data, file), 'latin1').split('\n')[lineNumber - 1].replace(/\r$/, '');

describe('inspectWarehouse', () => {
  it('counts the rows of every table and view', () => {
    const rows = Object.fromEntries(inspection.tables.map((t) => [t.name, t.rows]));
    expect(rows).toMatchObject({dim_movie: expected.dim_movie, dim_customer: expected.dim_customer, fact_ratings: expected.fact_ratings, etl_run: 1});
    expect(rows.rejects).toBe(expected.rejects.length);
    expect(rows.source_file).toBe(Object.keys(expected.files).length);
    expect(rows).toMatchObject({agg_movie: expected.dim_movie, agg_date: expected.rating_days});
    expect(inspection.tables.map((t) => t.kind)).toEqual([...Array(12).fill('table'), 'view', 'view']);
  });

  it('gives each table an approximate size that adds up to no more than the file', () => {
    const tables = inspection.tables.filter((t) => t.kind === 'table');
    for (const t of tables) expect(t.bytes).toBeGreaterThan(0);
    expect(tables.reduce((sum, t) => sum + t.bytes!, 0)).toBeLessThanOrEqual(statSync(warehouse.db).size);
    expect(inspection.file.bytes).toBe(statSync(warehouse.db).size);
    expect(inspection.file.blockSize).toBeGreaterThan(0);
  });

  it('gives the date range of the ratings and of dim_date', () => {
    expect(inspection.dates).toMatchObject({firstRating: expected.rating_min_date, lastRating: expected.rating_max_date});
    expect(inspection.dates.calendarFrom).toBe(`${expected.rating_min_date.slice(0, 4)}-01-01`);
    expect(inspection.dates.calendarTo).toBe(`${expected.rating_max_date.slice(0, 4)}-12-31`);
  });

  it('describes the last run and accounts for every line of every input', () => {
    const run = inspection.lastRun!;
    expect(run).toMatchObject({status: 'success', ratingsLoaded: expected.fact_ratings, duplicates: expected.rejects_by_reason.duplicate, dataDir: warehouse.data});
    expect(run.nfxVersion).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
    expect(Date.parse(run.finishedAt.replace(' ', 'T').replace(/\+00$/, 'Z'))).toBeGreaterThanOrEqual(Date.parse(run.startedAt.replace(' ', 'T').replace(/\+00$/, 'Z')));
    expect(run.inputs.map((i) => i.path)).toEqual(Object.keys(expected.files).sort());
    for (const input of run.inputs) {
      const file = expected.files[input.path];
      expect(input).toMatchObject({headers: file.headers, accepted: file.accepted, rejected: file.rejected, blankLines: file.blank_lines, balanced: true});
      expect(input.lines).toBe(file.lines_non_blank + file.blank_lines);
      const bytes = readFileSync(join(warehouse.data, input.path));
      expect(input.bytes).toBe(bytes.length);
      expect(input.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });

  it('counts rejects by reason, with the first three lines of each as examples, as read from the files', () => {
    const byReason = Object.fromEntries(inspection.quality.byReason.map((r) => [r.reason, r.rejects]));
    expect(byReason).toEqual(expected.rejects_by_reason);
    const counts = inspection.quality.byReason.map((r) => r.rejects);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    for (const reason of inspection.quality.byReason) {
      const first = expected.rejects
        .filter((r) => r.reason === reason.reason)
        .sort((a, b) => a.source_file.localeCompare(b.source_file) || a.line_number - b.line_number)
        .slice(0, 3);
      expect(reason.examples).toEqual(first.map((r) => ({sourceFile: r.source_file, lineNumber: r.line_number, rawLine: lineOf(r.source_file, r.line_number)})));
    }
  });

  it('counts duplicates dropped and movies without title, and finds no rating out of range or orphan fact row', () => {
    expect(inspection.quality).toMatchObject({
      rejects: expected.rejects.length,
      duplicatesDropped: expected.rejects_by_reason.duplicate,
      moviesWithoutTitle: expected.movies_without_title,
      probeRatings: expected.probe_ratings,
      qualifyingPairs: expected.fact_qualifying,
    });
    expect(inspection.integrity).toMatchObject({ratingsOutOfRange: 0, orphanCustomerKeys: 0, orphanMovieKeys: 0, orphanDateKeys: 0, orphanQualifyingKeys: 0});
    expect(inspection.integrity.moviePerformanceRows).toBe(expected.dim_movie);
    expect(inspection.integrity.dailySummaryRows).toBe(inspection.dates.ratingDays);
  });
});

describe('renderInspection', () => {
  it('prints tables, dates, the run with its inputs, and the reasons, within the width', () => {
    const text = renderInspection(inspection, 100);
    expect(text).toMatch(new RegExp(`fact_ratings\\s+${expected.fact_ratings.toLocaleString('en-US')}\\s+≈`));
    expect(text).toContain(`ratings: ${expected.rating_min_date} .. ${expected.rating_max_date}`);
    expect(text).toMatch(/combined_data_1\.txt .* ok /);
    expect(text).toMatch(new RegExp(`duplicate\\s+${expected.rejects_by_reason.duplicate}\\s+combined_data_`));
    expect(text).toContain(`movies without title: ${expected.movies_without_title}`);
    for (const line of text.split('\n').filter((l) => l.startsWith('  ') && !l.startsWith('  from'))) expect([...line].length).toBeLessThanOrEqual(100);
  });
});
