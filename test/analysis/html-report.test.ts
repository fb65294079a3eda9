import {parseHTML} from 'linkedom';
import {beforeAll, describe, expect, it} from 'vitest';
import {buildHtmlReport, type HtmlReport} from '../../src/analysis/html-report.js';
import {openWarehouse} from '../../src/analysis/warehouse.js';
import {transform} from '../transform/dataset.js';
import {queryDuckDB} from '../helpers/duckdb.js';
import {generatedWarehouse} from './fixtures.js';

async function build(db: string): Promise<HtmlReport> {
  const warehouse = await openWarehouse(db);
  try {
    return await buildHtmlReport(warehouse.connection, warehouse.path, new Date('2025-01-01T00:00:00Z'));
  } finally {
    warehouse.close();
  }
}

const documentOf = (html: string) => parseHTML(html).document;

describe('the HTML report', () => {
  let report: HtmlReport;
  let db: string;
  beforeAll(async () => {
    ({db} = await generatedWarehouse({ratings: '20000', seed: '2', dirty: true}));
    report = await build(db);
  });

  it('draws the five charts of the issue and the two cold-start charts as inline SVG', () => {
    expect(report.charts).toEqual([
      {id: 'ratings-per-month', title: 'Ratings per month', drawn: true},
      {id: 'rating-distribution', title: 'Rating distribution', drawn: true},
      {id: 'ratings-by-release-year', title: 'Ratings by release year', drawn: true},
      {id: 'top-movies', title: 'Most rated movies', drawn: true},
      {id: 'cold-start', title: 'Customers and movies by number of ratings', drawn: true},
      {id: 'cold-start-probe', title: 'Baseline error on the probe set by customer activity', drawn: true},
      {id: 'rejects-by-reason', title: 'Rejected lines by reason', drawn: true},
    ]);
    const document = documentOf(report.html);
    for (const {id} of report.charts) expect(document.querySelector(`#${id} svg`), id).not.toBeNull();
  });

  it('draws one bar per star value and one per reject reason, with Plot axes', () => {
    const document = documentOf(report.html);
    expect(document.querySelectorAll('#rating-distribution [aria-label="bar"] rect')).toHaveLength(5);
    expect(document.querySelectorAll('#rejects-by-reason [aria-label="bar"] rect')).toHaveLength(report.inspection.quality.byReason.length);
    expect(document.querySelectorAll('#top-movies [aria-label="bar"] rect')).toHaveLength(Math.min(15, report.inspection.tables.find((t) => t.name === 'dim_movie')!.rows));
    expect(document.querySelector('#ratings-per-month [aria-label="line"] path')).not.toBeNull();
    expect(document.querySelectorAll('#cold-start [aria-label="bar"] rect')).toHaveLength(16);
    expect(document.querySelectorAll('#cold-start-probe [aria-label="bar"] rect').length).toBeGreaterThan(2);
    expect(document.querySelectorAll('#ratings-per-month [aria-label="x-axis tick label"] text').length).toBeGreaterThan(3);
  });

  it('labels the bars of the most rated movies in order, as counted in SQL over fact_ratings', async () => {
    const expected = await queryDuckDB(
      db,
      `SELECT m.movie_id, m.title, m.release_year, count(*) AS n FROM fact_ratings f JOIN dim_movie m ON m.movie_key = f.movie_key
       GROUP BY ALL ORDER BY n DESC, m.movie_id LIMIT 3`,
    );
    const document = documentOf(report.html);
    const labels = [...document.querySelectorAll('#top-movies [aria-label="y-axis tick label"] text')].slice(0, 3).map((t) => t.textContent);
    expect(labels).toEqual(
      expected.map((m, i) => `${i + 1}. ${(m.title as string | null) ?? `movie ${m.movie_id} (no title)`}${m.release_year ? ` (${m.release_year})` : ''}`),
    );
  });

  it('needs nothing from outside: no script, stylesheet link, image, font or URL to fetch', () => {
    expect(report.html).not.toMatch(/<script|<link|<img|<iframe|@import|@font-face|url\(/i);
    const document = documentOf(report.html);
    for (const element of document.querySelectorAll('[src], [href]')) throw new Error(`fetches ${element.outerHTML}`);
  });

  it('has the inspect summary: tables, the last run with its inputs, rejects with examples', () => {
    const document = documentOf(report.html);
    const text = document.querySelector('main')!.textContent!;
    expect(text).toContain('fact_ratings');
    expect(text).toContain('combined_data_1.txt');
    expect(text).toMatch(/duplicate\s*29/);
    expect(text).toMatch(/\d+probe ratings/);
    expect(text).toMatch(/\d+qualifying pairs/);
    expect(text).toContain('fact_qualifying');
    expect(text).toContain('rows of v_movie_performance');
  });
});

describe('the HTML report of a tiny warehouse', () => {
  it('escapes titles and says so when there is nothing to draw', async () => {
    const {db} = await transform({
      'combined_data_1.txt': '1:\n5,3,2005-01-01\n2:\n6,4,2005-01-02\n',
      'movie_titles.csv': '1,NULL,<script>alert("x")</script> & Co\n2,NULL,Plain\n',
    });
    const report = await build(db);
    expect(report.html).not.toContain('<script>');
    expect(report.html).toContain('&lt;script&gt;');
    expect(report.charts.find((c) => c.id === 'rejects-by-reason')).toMatchObject({drawn: false});
    expect(report.charts.find((c) => c.id === 'ratings-by-release-year')).toMatchObject({drawn: false});
    expect(report.charts.find((c) => c.id === 'cold-start-probe')).toMatchObject({drawn: false});
    expect(report.html).toContain('No line was rejected.');
    expect(report.html).toContain('No rated movie has a known release year.');
    expect(report.html).toContain('No probe ratings: transform with probe.txt to score the baseline by customer activity.');
  });
});
