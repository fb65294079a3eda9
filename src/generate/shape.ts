import {MAX_CUSTOMER_ID, type GenerateOptions} from './options.js';
import {Random, STREAM} from './random.js';

/**
 * The shape of a synthetic data set, fixed before any line is written: how many ratings each movie
 * gets, which customer ids exist and how active each customer is, and how each movie tends to be rated.
 * Everything here is O(movies + customers); the ratings themselves are drawn block by block (sampler.ts).
 */
export interface DataSetShape {
  /** Ratings of movie id `i + 1`; at least 1, at most `customers`, summing to `ratings`. */
  movieRatings: Uint32Array;
  /** Rating tier of movie id `i + 1`: an index into `RATING_TIERS` (some movies are loved, some are not). */
  movieTier: Uint8Array;
  /** The customer ids, ascending, distinct, sparse in 1..2,649,429. Customer index `c` has id `customerIds[c]`. */
  customerIds: Uint32Array;
  /** Walker alias table over customer activity: pairs (probability, alias index) per customer index. */
  customerAlias: Float64Array;
  /** A random order of all customer indices: each is handed to one movie first, so every customer rates. */
  coverageOrder: Uint32Array;
}

/**
 * Movie popularity by rank r (1 = most rated) falls off as exp(-(r / scale)^0.45), a stretched exponential:
 * flat among the top movies (no two tie), steep through the middle. With the scale solved so that the counts
 * sum to --ratings, at the full 100M it gives a median movie of ~560 ratings and ~60 % of movies under 1,000,
 * as in the real data (README, "How real the generated data looks").
 */
const POPULARITY_STRETCH = 0.45;
/** The most rated real movie (Miss Congeniality, ~233k ratings) was rated by ~48.5 % of the 480,189 customers. */
const TOP_MOVIE_SHARE = 0.485;
/** The least rated movies fall off further, to a handful of ratings: a factor exp(-2.7 x^20) at rank share x. */
const LEAST_RATED_TAPER = 2.7;
const LEAST_RATED_TAPER_POWER = 20;
/**
 * Customer activity is lognormal (median customer ~92 ratings at 100M) up to the busiest ~0.1 % (normal
 * score above 3), whose activity grows faster still: the busiest real customers rated almost every movie
 * (#305344: 17,653).
 */
const CUSTOMER_ACTIVITY_SIGMA = 1.55;
const BUSIEST_CUSTOMERS_FROM = 3;
const BUSIEST_CUSTOMERS_BEND = 2;

/** Real rating frequencies of 1..5 (4.6%, 10.1%, 28.7%, 33.6%, 23.1%). */
export const RATING_FREQUENCY = [0.046, 0.101, 0.287, 0.336, 0.231] as const;
/** Per-movie tilt of the rating distribution towards 1 (negative) or 5 (positive); the mix stays near the real one. */
const TIER_TILTS = [-0.4, -0.2, 0, 0.2, 0.4] as const;
export const RATING_TIERS = TIER_TILTS.length;
/** Bits of a random word used to draw a rating (a lookup table of 2^10 entries per tier). */
export const RATING_DRAW_BITS = 10;

export function buildShape(options: GenerateOptions): DataSetShape {
  const random = new Random(options.seed, STREAM.shape);
  const {ratings, movies, customers} = options;

  const popularity = popularityByRank(ratings, movies, customers);
  random.shuffle(popularity);
  const movieRatings = allocate(ratings, popularity, customers);

  const movieTier = new Uint8Array(movies);
  for (let m = 0; m < movies; m++) movieTier[m] = random.below(RATING_TIERS);

  const customerIds = drawCustomerIds(random, customers);
  const activity = activityByRank(customers);
  random.shuffle(activity);
  const customerAlias = aliasTable(activity);

  const coverageOrder = new Uint32Array(customers);
  for (let c = 0; c < customers; c++) coverageOrder[c] = c;
  random.shuffle(coverageOrder);

  return {movieRatings, movieTier, customerIds, customerAlias, coverageOrder};
}

/**
 * Ratings per movie, most rated first, before rounding: the top movie gets TOP_MOVIE_SHARE of the customers
 * (or the mean when that is more), the rest follow the stretched exponential whose scale makes the sum
 * `ratings`. When even a flat curve holds too few ratings (a dense --ratings), allocate() fills to the cap.
 */
export function popularityByRank(ratings: number, movies: number, customers: number): Float64Array {
  const top = Math.min(customers, Math.max(TOP_MOVIE_SHARE * customers, ratings / movies));
  const curve = (scale: number): Float64Array => {
    const counts = new Float64Array(movies);
    const offset = Math.pow(1 / scale, POPULARITY_STRETCH);
    for (let r = 0; r < movies; r++) {
      const taper = LEAST_RATED_TAPER * Math.pow((r + 1) / movies, LEAST_RATED_TAPER_POWER);
      counts[r] = Math.max(1, top * Math.exp(offset - Math.pow((r + 1) / scale, POPULARITY_STRETCH) - taper));
    }
    return counts;
  };
  const sum = (counts: Float64Array): number => counts.reduce((a, b) => a + b, 0);
  // the sum grows with the scale: bisect its logarithm
  let low = 1e-6;
  let high = 1e12;
  for (let round = 0; round < 100 && high / low > 1 + 1e-9; round++) {
    const middle = Math.sqrt(low * high);
    if (sum(curve(middle)) < ratings) low = middle;
    else high = middle;
  }
  return curve(high);
}

/** Activity weights of `customers` customers, most active first, at the normal scores of their ranks. */
export function activityByRank(customers: number): Float64Array {
  const activity = new Float64Array(customers);
  for (let c = 0; c < customers; c++) {
    const z = inverseNormal(1 - (c + 0.5) / customers);
    const bend = Math.max(0, z - BUSIEST_CUSTOMERS_FROM);
    activity[c] = Math.exp(CUSTOMER_ACTIVITY_SIGMA * z + BUSIEST_CUSTOMERS_BEND * bend * bend);
  }
  return activity;
}

/** The standard normal quantile of p in (0, 1): Acklam's rational approximation (within 1e-5 of it, plenty for a shape). */
export function inverseNormal(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549671010322563, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q: number): number =>
    (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/**
 * Splits `total` into integer counts proportional to `weights`, each in 1..cap (water filling: counts
 * that would pass the cap are fixed at it and the rest is shared again; rounding by largest remainder).
 * Requires weights.length <= total <= weights.length * cap.
 */
export function allocate(total: number, weights: Float64Array, cap: number): Uint32Array {
  const n = weights.length;
  const counts = new Uint32Array(n).fill(1);
  const room = cap - 1;
  let remaining = total - n;
  if (remaining === 0 || room === 0) return counts;

  const capped = new Uint8Array(n);
  const shares = new Float64Array(n);
  for (;;) {
    let weight = 0;
    for (let i = 0; i < n; i++) if (!capped[i]) weight += weights[i];
    let newlyCapped = 0;
    for (let i = 0; i < n; i++) {
      if (capped[i]) continue;
      shares[i] = (remaining * weights[i]) / weight;
      if (shares[i] >= room) {
        capped[i] = 1;
        newlyCapped++;
      }
    }
    if (newlyCapped === 0 || weight === 0) break;
    for (let i = 0; i < n; i++) {
      if (capped[i] === 1) {
        counts[i] += room;
        remaining -= room;
        capped[i] = 2;
      }
    }
    if (remaining === 0) return counts;
  }

  const open: number[] = [];
  for (let i = 0; i < n; i++) {
    if (capped[i]) continue;
    const whole = Math.floor(shares[i]);
    counts[i] += whole;
    remaining -= whole;
    shares[i] -= whole;
    open.push(i);
  }
  open.sort((x, y) => shares[y] - shares[x] || x - y);
  for (let k = 0; remaining > 0; k = (k + 1) % open.length) {
    const i = open[k];
    if (counts[i] < cap) {
      counts[i]++;
      remaining--;
    }
  }
  return counts;
}

/** `count` distinct ids from 1..MAX_CUSTOMER_ID, ascending (Knuth's selection sampling). */
function drawCustomerIds(random: Random, count: number): Uint32Array {
  const ids = new Uint32Array(count);
  let chosen = 0;
  for (let id = 1; chosen < count; id++) {
    const left = MAX_CUSTOMER_ID - id + 1;
    if (random.below(left) < count - chosen) ids[chosen++] = id;
  }
  return ids;
}

/** Vose's alias method: after it, a weighted draw costs one random number and at most two lookups. */
function aliasTable(weights: Float64Array): Float64Array {
  const n = weights.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i];
  const scaled = new Float64Array(n);
  const small = new Uint32Array(n);
  const large = new Uint32Array(n);
  let smallCount = 0;
  let largeCount = 0;
  for (let i = 0; i < n; i++) {
    scaled[i] = (weights[i] * n) / total;
    if (scaled[i] < 1) small[smallCount++] = i;
    else large[largeCount++] = i;
  }
  const table = new Float64Array(2 * n);
  while (smallCount > 0 && largeCount > 0) {
    const s = small[--smallCount];
    const l = large[--largeCount];
    table[2 * s] = scaled[s];
    table[2 * s + 1] = l;
    scaled[l] = scaled[l] + scaled[s] - 1;
    if (scaled[l] < 1) small[smallCount++] = l;
    else large[largeCount++] = l;
  }
  while (largeCount > 0) {
    const l = large[--largeCount];
    table[2 * l] = 1;
    table[2 * l + 1] = l;
  }
  while (smallCount > 0) {
    const s = small[--smallCount];
    table[2 * s] = 1;
    table[2 * s + 1] = s;
  }
  return table;
}

/**
 * Per tier, 2^10 rating values (1..5). Each tier tilts a base distribution towards 1 or 5; the base is
 * solved for so that the mix of all tiers is the real `RATING_FREQUENCY`.
 */
export function ratingDrawTables(): Uint8Array {
  const tilted = (base: readonly number[], tilt: number): number[] => {
    const weights = base.map((p, i) => p * Math.exp(tilt * (i - 2)));
    const total = weights.reduce((a, b) => a + b, 0);
    return weights.map((w) => w / total);
  };
  let base: number[] = [...RATING_FREQUENCY];
  for (let round = 0; round < 50; round++) {
    const mix = [0, 0, 0, 0, 0];
    for (const tilt of TIER_TILTS) tilted(base, tilt).forEach((p, i) => (mix[i] += p / RATING_TIERS));
    base = base.map((p, i) => (p * RATING_FREQUENCY[i]) / mix[i]);
  }

  const size = 1 << RATING_DRAW_BITS;
  const tables = new Uint8Array(RATING_TIERS * size);
  TIER_TILTS.forEach((tilt, tier) => {
    const weights = tilted(base, tilt);
    let cumulative = 0;
    let rating = 0;
    for (let i = 0; i < size; i++) {
      const target = (i + 0.5) / size;
      while (rating < 4 && cumulative + weights[rating] < target) cumulative += weights[rating++];
      tables[tier * size + i] = rating + 1;
    }
  });
  return tables;
}
