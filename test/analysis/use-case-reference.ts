/**
 * The use-case reports (similar-movies, similar-customers, top-rated-by-year, cold-start) and the probe baselines
 * computed again in plain TypeScript over the fact rows, the way a textbook writes them (two-pass Pearson over
 * the common items, a sort, a linear-interpolated quantile, the baselines rating by rating), to check the SQL
 * against. No SQL here beyond reading rows.
 */
import {queryDuckDB} from '../helpers/duckdb.js';

export interface WarehouseRating {
  movieId: number;
  customerId: number;
  rating: number;
  isProbe: boolean;
}

export interface WarehouseMovie {
  movieId: number;
  title: string | null;
  releaseYear: number | null;
}

/** Every fact row with its natural ids, and every movie of dim_movie. */
export async function readWarehouse(db: string): Promise<{ratings: WarehouseRating[]; movies: WarehouseMovie[]}> {
  const facts = await queryDuckDB(
    db,
    'SELECT m.movie_id, c.customer_id, f.rating, f.is_probe FROM fact_ratings f JOIN dim_movie m USING (movie_key) JOIN dim_customer c USING (customer_key)',
  );
  const dims = await queryDuckDB(db, 'SELECT movie_id, title, release_year FROM dim_movie');
  return {
    ratings: facts.map((r) => ({movieId: r.movie_id as number, customerId: r.customer_id as number, rating: r.rating as number, isProbe: r.is_probe as boolean})),
    movies: dims.map((m) => ({movieId: m.movie_id as number, title: m.title as string | null, releaseYear: m.release_year as number | null})),
  };
}

/** ratings by item, then by the rater: movie -> customer -> rating, or customer -> movie -> rating. */
export type RatingMatrix = Map<number, Map<number, number>>;

export function ratingMatrix(ratings: WarehouseRating[], by: 'movie' | 'customer'): RatingMatrix {
  const matrix: RatingMatrix = new Map();
  for (const r of ratings) {
    const [item, rater] = by === 'movie' ? [r.movieId, r.customerId] : [r.customerId, r.movieId];
    let row = matrix.get(item);
    if (!row) matrix.set(item, (row = new Map()));
    row.set(rater, r.rating);
  }
  return matrix;
}

/** Pearson correlation, two-pass over the means; null when either side has zero variance. */
export function pearson(pairs: [number, number][]): number | null {
  const n = pairs.length;
  const meanX = pairs.reduce((s, [x]) => s + x, 0) / n;
  const meanY = pairs.reduce((s, [, y]) => s + y, 0) / n;
  let covariance = 0;
  let varianceX = 0;
  let varianceY = 0;
  for (const [x, y] of pairs) {
    covariance += (x - meanX) * (y - meanY);
    varianceX += (x - meanX) ** 2;
    varianceY += (y - meanY) ** 2;
  }
  return varianceX === 0 || varianceY === 0 ? null : covariance / Math.sqrt(varianceX * varianceY);
}

export interface Neighbour {
  id: number;
  common: number;
  pearson: number;
  similarity: number;
}

/** The ratings two items share: (this item's rating, the other's) for every rater of both. */
export function commonPairs(a: Map<number, number>, b: Map<number, number>): [number, number][] {
  const pairs: [number, number][] = [];
  for (const [rater, x] of a) {
    const y = b.get(rater);
    if (y !== undefined) pairs.push([x, y]);
  }
  return pairs;
}

/** Rounded to 6 decimals half away from zero, as DuckDB's round() does (Math.round rounds -0.5 up). */
export const round6 = (x: number): number => (Math.sign(x) * Math.round(Math.abs(x) * 1e6)) / 1e6;

/**
 * Every other item with at least minCommon common raters and a correlation, best first by the similarity
 * rounded to 6 decimals (as the reports show and order it), ties by id.
 */
export function neighbours(matrix: RatingMatrix, id: number, minCommon: number): Neighbour[] {
  const own = matrix.get(id) ?? new Map<number, number>();
  const found: Neighbour[] = [];
  for (const [other, theirs] of matrix) {
    if (other === id) continue;
    const pairs = commonPairs(own, theirs);
    if (pairs.length < minCommon || pairs.length === 0) continue;
    const r = pearson(pairs);
    if (r === null) continue;
    found.push({id: other, common: pairs.length, pearson: r, similarity: (pairs.length / (pairs.length + 100)) * r});
  }
  return found.sort((a, b) => round6(b.similarity) - round6(a.similarity) || a.id - b.id);
}

export interface TopRated {
  releaseYear: number;
  rank: number;
  movieId: number;
  ratingCount: number;
  avgRating: number;
  dampedMean: number;
}

/** Per release year, the movies by damped mean (sum + prior * mu) / (count + prior), best first, ties by id. */
export function topRatedByYear(ratings: WarehouseRating[], movies: WarehouseMovie[], prior: number, limit: number): TopRated[] {
  const mu = ratings.reduce((s, r) => s + r.rating, 0) / ratings.length;
  const totals = new Map<number, {count: number; sum: number}>();
  for (const r of ratings) {
    const t = totals.get(r.movieId) ?? {count: 0, sum: 0};
    t.count++;
    t.sum += r.rating;
    totals.set(r.movieId, t);
  }
  const byYear = new Map<number, Omit<TopRated, 'rank'>[]>();
  for (const movie of movies) {
    const t = totals.get(movie.movieId);
    if (!t || movie.releaseYear === null) continue;
    const list = byYear.get(movie.releaseYear) ?? [];
    list.push({releaseYear: movie.releaseYear, movieId: movie.movieId, ratingCount: t.count, avgRating: t.sum / t.count, dampedMean: (t.sum + prior * mu) / (t.count + prior)});
    byYear.set(movie.releaseYear, list);
  }
  return [...byYear.keys()]
    .sort((a, b) => a - b)
    .flatMap((year) =>
      byYear
        .get(year)!
        .sort((a, b) => (Math.abs(a.dampedMean - b.dampedMean) > 1e-12 ? b.dampedMean - a.dampedMean : a.movieId - b.movieId))
        .slice(0, limit)
        .map((m, i) => ({...m, rank: i + 1})),
    );
}

/** The quantile of sorted values with linear interpolation between the two nearest ranks. */
export function quantile(sorted: number[], p: number): number {
  const position = (sorted.length - 1) * p;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
}

export const COLD_START_BUCKETS: [string, number, number | null][] = [
  ['0', 0, 0],
  ['1', 1, 1],
  ['2-4', 2, 4],
  ['5-9', 5, 9],
  ['10-19', 10, 19],
  ['20-49', 20, 49],
  ['50-99', 50, 99],
  ['100-499', 100, 499],
  ['500+', 500, null],
];

export interface ColdStartRow {
  subject: string;
  bucket: string;
  subjects: number;
  ratings: number;
  ratingSum: number;
  median?: number;
  p90?: number;
  /** probe rows: the baseline's summed squared error over the row's probe ratings */
  squaredError?: number;
}

/** Customers (or movies) by how many ratings they have: one row per bucket, then the 'all' row. */
export function coldStart(ratings: WarehouseRating[], subject: 'customer' | 'movie'): ColdStartRow[] {
  const totals = new Map<number, {count: number; sum: number}>();
  for (const r of ratings) {
    const id = subject === 'customer' ? r.customerId : r.movieId;
    const t = totals.get(id) ?? {count: 0, sum: 0};
    t.count++;
    t.sum += r.rating;
    totals.set(id, t);
  }
  const all = [...totals.values()];
  const rows: ColdStartRow[] = COLD_START_BUCKETS.filter(([, min]) => min > 0).map(([bucket, min, max]) => {
    const inBucket = all.filter((t) => t.count >= min && (max === null || t.count <= max));
    return {subject, bucket, subjects: inBucket.length, ratings: inBucket.reduce((s, t) => s + t.count, 0), ratingSum: inBucket.reduce((s, t) => s + t.sum, 0)};
  });
  const counts = all.map((t) => t.count).sort((a, b) => a - b);
  rows.push({subject, bucket: 'all', subjects: all.length, ratings: ratings.length, ratingSum: ratings.reduce((s, r) => s + r.rating, 0), median: quantile(counts, 0.5), p90: quantile(counts, 0.9)});
  return rows;
}

export interface ProbePrediction {
  customerId: number;
  rating: number;
  /** the customer's training ratings: n_u */
  customerTraining: number;
  globalMean: number;
  movieMean: number;
  baseline: number;
}

/**
 * The probe-baselines predictors, trained on the ratings that are not in the probe set, applied to each probe
 * rating: mu; the movie's mean (mu without one); mu + b_i + b_u clipped to [1, 5] with
 * b_i = sum(r - mu) / (n_i + 25) and b_u = sum(r - mu - b_i) / (n_u + 10) over the training ratings.
 */
export function baselinePredictions(ratings: WarehouseRating[]): ProbePrediction[] {
  const training = ratings.filter((r) => !r.isProbe);
  const mu = training.reduce((s, r) => s + r.rating, 0) / training.length;
  const movies = new Map<number, {n: number; sum: number; deviation: number}>();
  for (const r of training) {
    const m = movies.get(r.movieId) ?? {n: 0, sum: 0, deviation: 0};
    m.n++;
    m.sum += r.rating;
    m.deviation += r.rating - mu;
    movies.set(r.movieId, m);
  }
  const bi = (movieId: number): number => {
    const m = movies.get(movieId);
    return m ? m.deviation / (m.n + 25) : 0;
  };
  const customers = new Map<number, {n: number; deviation: number}>();
  for (const r of training) {
    const c = customers.get(r.customerId) ?? {n: 0, deviation: 0};
    c.n++;
    c.deviation += r.rating - mu - bi(r.movieId);
    customers.set(r.customerId, c);
  }
  return ratings
    .filter((r) => r.isProbe)
    .map((r) => {
      const movie = movies.get(r.movieId);
      const customer = customers.get(r.customerId);
      const bu = customer ? customer.deviation / (customer.n + 10) : 0;
      return {
        customerId: r.customerId,
        rating: r.rating,
        customerTraining: customer?.n ?? 0,
        globalMean: mu,
        movieMean: movie ? movie.sum / movie.n : mu,
        baseline: Math.min(5, Math.max(1, mu + bi(r.movieId) + bu)),
      };
    });
}

/** The probe rows of cold-start: customers with probe ratings by their training ratings, with the baseline's errors. */
export function probeColdStart(ratings: WarehouseRating[]): ColdStartRow[] {
  const customers = new Map<number, {training: number; count: number; sum: number; squaredError: number}>();
  for (const p of baselinePredictions(ratings)) {
    const c = customers.get(p.customerId) ?? {training: p.customerTraining, count: 0, sum: 0, squaredError: 0};
    c.count++;
    c.sum += p.rating;
    c.squaredError += (p.rating - p.baseline) ** 2;
    customers.set(p.customerId, c);
  }
  const all = [...customers.values()];
  const add = (list: typeof all, bucket: string, extra: Partial<ColdStartRow> = {}): ColdStartRow => ({
    subject: 'probe',
    bucket,
    subjects: list.length,
    ratings: list.reduce((s, c) => s + c.count, 0),
    ratingSum: list.reduce((s, c) => s + c.sum, 0),
    squaredError: list.reduce((s, c) => s + c.squaredError, 0),
    ...extra,
  });
  const rows = COLD_START_BUCKETS.map(([bucket, min, max]) => add(all.filter((c) => c.training >= min && (max === null || c.training <= max)), bucket));
  const training = all.map((c) => c.training).sort((a, b) => a - b);
  rows.push(add(all, 'all', {median: quantile(training, 0.5), p90: quantile(training, 0.9)}));
  return rows;
}
