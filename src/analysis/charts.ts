import * as Plot from '@observablehq/plot';
import {parseHTML} from 'linkedom';

/**
 * The charts of nfx report, drawn with Observable Plot into a server-side DOM (linkedom) and serialised as
 * inline SVG: the HTML file needs no script, font or network to show them.
 */

export interface Chart {
  id: string;
  title: string;
  /** What the chart shows, in a sentence under its title. */
  caption: string;
  /** The <svg> element as markup; empty when there is nothing to draw (see `empty`). */
  svg: string;
  /** Why there is no chart (for example: no rejects). */
  empty?: string;
}

export interface MonthlyVolume {
  month: string;
  ratings: number;
  avg_rating: number;
}
export interface StarCount {
  rating: number;
  ratings: number;
  share: number;
}
export interface ReleaseYearVolume {
  release_year: number | null;
  movies: number;
  ratings: number;
  avg_rating: number;
}
export interface MovieVolume {
  rank: number;
  movie_id: number;
  title: string | null;
  release_year: number | null;
  ratings: number;
  avg_rating: number;
}
export interface ColdStartBucket {
  /** customer, movie: by all their ratings; probe: customers with probe ratings, by their training ratings */
  subject: 'customer' | 'movie' | 'probe';
  bucket: string;
  subjects: number;
  share: number | null;
  ratings: number;
  median_ratings: number | null;
  p90_ratings: number | null;
  baseline_rmse: number | null;
}
export interface ReasonCount {
  reason: string;
  rejects: number;
}

const WIDTH = 760;
const ACCENT = '#b20710';
const count = (n: number): string => n.toLocaleString('en-US');

/** A fresh document per chart: Plot appends its elements to it. */
function plotSvg(options: Plot.PlotOptions): string {
  const {document} = parseHTML('<!doctype html><html><head></head><body></body></html>');
  const element = Plot.plot({width: WIDTH, style: {fontSize: '12px', background: 'transparent'}, ...options, document} as Plot.PlotOptions);
  return element.outerHTML;
}

export function ratingsPerMonthChart(rows: MonthlyVolume[]): Chart {
  const base = {id: 'ratings-per-month', title: 'Ratings per month', caption: 'How many ratings were given in each calendar month.'};
  if (rows.length === 0) return {...base, svg: '', empty: 'No ratings.'};
  const data = rows.map((r) => ({month: new Date(`${r.month}-01T00:00:00Z`), ratings: r.ratings}));
  return {
    ...base,
    svg: plotSvg({
      height: 300,
      marginLeft: 60,
      x: {type: 'utc', label: null},
      y: {grid: true, label: 'ratings', tickFormat: 's'},
      marks: [
        Plot.areaY(data, {x: 'month', y: 'ratings', fill: ACCENT, fillOpacity: 0.15, curve: 'step'}),
        Plot.lineY(data, {x: 'month', y: 'ratings', stroke: ACCENT, strokeWidth: 1.5, curve: 'step'}),
        Plot.ruleY([0]),
      ],
    }),
  };
}

export function ratingDistributionChart(rows: StarCount[]): Chart {
  const base = {id: 'rating-distribution', title: 'Rating distribution', caption: 'Ratings of each star value, with their share of all ratings.'};
  if (rows.every((r) => r.ratings === 0)) return {...base, svg: '', empty: 'No ratings.'};
  const data = rows.map((r) => ({stars: `${r.rating} ★`, ratings: r.ratings, label: `${r.share}%`}));
  return {
    ...base,
    svg: plotSvg({
      height: 280,
      marginLeft: 60,
      x: {label: null, padding: 0.25},
      y: {grid: true, label: 'ratings', tickFormat: 's'},
      marks: [
        Plot.barY(data, {x: 'stars', y: 'ratings', fill: ACCENT}),
        Plot.text(data, {x: 'stars', y: 'ratings', text: 'label', dy: -8, fontSize: 12}),
        Plot.ruleY([0]),
      ],
    }),
  };
}

export function releaseYearChart(rows: ReleaseYearVolume[]): Chart {
  const known = rows.filter((r): r is ReleaseYearVolume & {release_year: number} => r.release_year !== null);
  const unknown = rows.find((r) => r.release_year === null);
  const base = {
    id: 'ratings-by-release-year',
    title: 'Ratings by release year',
    caption: `Ratings of the movies released in each year${unknown ? `; ${count(unknown.ratings)} ratings of movies with no known year are left out` : ''}.`,
  };
  if (known.length === 0) return {...base, svg: '', empty: 'No rated movie has a known release year.'};
  return {
    ...base,
    svg: plotSvg({
      height: 280,
      marginLeft: 60,
      x: {label: 'release year', tickFormat: 'd'},
      y: {grid: true, label: 'ratings', tickFormat: 's'},
      marks: [Plot.rectY(known, {x1: 'release_year', x2: (d: {release_year: number}) => d.release_year + 1, y: 'ratings', fill: ACCENT, inset: 0.5}), Plot.ruleY([0])],
    }),
  };
}

export function topMoviesChart(rows: MovieVolume[]): Chart {
  const base = {id: 'top-movies', title: 'Most rated movies', caption: 'The movies with the most ratings; the number at the end of each bar is its average rating.'};
  if (rows.length === 0) return {...base, svg: '', empty: 'No ratings.'};
  // titles repeat in the real data, so each bar is labelled with its rank too
  const data = rows.map((r) => ({
    movie: `${r.rank}. ${r.title ?? `movie ${r.movie_id} (no title)`}${r.release_year ? ` (${r.release_year})` : ''}`,
    ratings: r.ratings,
    average: `★ ${r.avg_rating.toFixed(2)}`,
  }));
  const longest = Math.max(...data.map((d) => d.movie.length));
  return {
    ...base,
    svg: plotSvg({
      height: 40 + rows.length * 24,
      marginLeft: Math.min(320, 12 + longest * 6.5),
      marginRight: 60,
      x: {grid: true, label: 'ratings', tickFormat: 's'},
      y: {label: null, domain: data.map((d) => d.movie), tickFormat: (t: string) => (t.length > 48 ? `${t.slice(0, 47)}…` : t)},
      marks: [
        Plot.barX(data, {y: 'movie', x: 'ratings', fill: ACCENT}),
        Plot.text(data, {y: 'movie', x: 'ratings', text: 'average', textAnchor: 'start', dx: 4, fontSize: 11}),
        Plot.ruleX([0]),
      ],
    }),
  };
}

export function rejectsChart(rows: ReasonCount[]): Chart {
  const base = {id: 'rejects-by-reason', title: 'Rejected lines by reason', caption: 'Input lines that are not in the star schema, by the reason of the data contract.'};
  if (rows.length === 0) return {...base, svg: '', empty: 'No line was rejected.'};
  return {
    ...base,
    svg: plotSvg({
      height: 40 + rows.length * 26,
      marginLeft: 140,
      marginRight: 50,
      x: {grid: true, label: 'rejected lines'},
      y: {label: null, domain: rows.map((r) => r.reason)},
      marks: [
        Plot.barX(rows, {y: 'reason', x: 'rejects', fill: '#555'}),
        Plot.text(rows, {y: 'reason', x: 'rejects', text: (r: ReasonCount) => count(r.rejects), textAnchor: 'start', dx: 4, fontSize: 11}),
        Plot.ruleX([0]),
      ],
    }),
  };
}

/** Share of customers and of movies in each bucket of ratings (the cold-start report), side by side. */
export function coldStartChart(report: ColdStartBucket[]): Chart {
  const rows = report.filter((r) => r.subject !== 'probe');
  const totals = rows.filter((r) => r.bucket === 'all');
  const said = totals
    .filter((t) => t.median_ratings !== null)
    .map((t) => `a ${t.subject} has a median of ${count(t.median_ratings!)} ratings (90th percentile ${count(t.p90_ratings!)})`);
  const base = {
    id: 'cold-start',
    title: 'Customers and movies by number of ratings',
    caption: `Share of customers (red) and of rated movies (grey) with so many ratings: the thin edges are where recommendations start cold${said.length ? `; ${said.join(', ')}` : ''}.`,
  };
  const buckets = rows.filter((r) => r.bucket !== 'all');
  if (totals.every((t) => t.subjects === 0)) return {...base, svg: '', empty: 'No ratings.'};
  const data = buckets.map((r) => ({bucket: r.bucket, subject: `${r.subject}s`, share: r.share ?? 0}));
  return {
    ...base,
    svg: plotSvg({
      height: 300,
      marginLeft: 50,
      fx: {label: 'ratings per customer or movie', domain: [...new Set(buckets.map((r) => r.bucket))]},
      x: {axis: null, domain: ['customers', 'movies']},
      y: {grid: true, label: 'share (%)'},
      color: {domain: ['customers', 'movies'], range: [ACCENT, '#555']},
      marks: [Plot.barY(data, {fx: 'bucket', x: 'subject', y: 'share', fill: 'subject'}), Plot.ruleY([0])],
    }),
  };
}

/** The baseline's RMSE on the probe ratings by the customer's number of training ratings (the cold-start report's probe rows). */
export function probeColdStartChart(report: ColdStartBucket[]): Chart {
  const rows = report.filter((r) => r.subject === 'probe');
  const overall = rows.find((r) => r.bucket === 'all' && r.baseline_rmse !== null);
  const base = {
    id: 'cold-start-probe',
    title: 'Baseline error on the probe set by customer activity',
    caption: `RMSE of the movie_customer_baseline predictor (probe-baselines) on the probe ratings of customers with so many training ratings; the number on each bar is its probe ratings${overall ? `, the dashed line the RMSE over all ${count(overall.ratings)}` : ''}.`,
  };
  if (!overall) return {...base, svg: '', empty: 'No probe ratings: transform with probe.txt to score the baseline by customer activity.'};
  const buckets = rows.filter((r) => r.bucket !== 'all');
  const scored = buckets.filter((r) => r.baseline_rmse !== null).map((r) => ({bucket: r.bucket, rmse: r.baseline_rmse!, label: count(r.ratings)}));
  return {
    ...base,
    svg: plotSvg({
      height: 300,
      marginLeft: 50,
      x: {label: 'training ratings of the customer', domain: buckets.map((r) => r.bucket), padding: 0.25},
      y: {grid: true, label: 'RMSE (stars)'},
      marks: [
        Plot.barY(scored, {x: 'bucket', y: 'rmse', fill: ACCENT}),
        Plot.text(scored, {x: 'bucket', y: 'rmse', text: 'label', dy: -8, fontSize: 11}),
        Plot.ruleY([overall.baseline_rmse!], {stroke: '#555', strokeDasharray: '4,3'}),
        Plot.ruleY([0]),
      ],
    }),
  };
}
