import {UserError} from '../errors.js';

/** The largest customer id of the real data: synthetic ids are drawn from 1..this. */
export const MAX_CUSTOMER_ID = 2_649_429;
/** Movies of the real catalogue; also the largest default. */
export const REAL_MOVIES = 17_770;
/** Movie ids are written 7-digit zero-padded in the training-set layout. */
const MAX_MOVIES = 9_999_999;
/** Real ratios: 100,480,507 ratings / 17,770 movies and / 480,189 customers. */
const RATINGS_PER_MOVIE = 5650;
const RATINGS_PER_CUSTOMER = 209;
/**
 * Below ~5M ratings the real ratios give more ratings than (movie, customer) pairs: the default
 * customer count is raised so that at most a quarter of all pairs are rated.
 */
const MAX_DEFAULT_DENSITY = 0.25;
/** --dirty places its lines around a few chosen blocks in at least four files. */
export const MIN_DIRTY_MOVIES = 20;

export type Layout = 'combined' | 'training-set';

export interface GenerateOptions {
  out: string;
  ratings: number;
  movies: number;
  customers: number;
  seed: number;
  layout: Layout;
  dirty: boolean;
  gzip: boolean;
  force: boolean;
}

export interface GenerateFlags {
  out: string;
  ratings?: string;
  movies?: string;
  customers?: string;
  seed?: string;
  layout?: string;
  dirty?: boolean;
  gzip?: boolean;
  force?: boolean;
}

const SUFFIX: Record<string, number> = {'': 1, k: 1e3, m: 1e6, g: 1e9};

/** `20000`, `20_000`, `20k`, `10M`, `1G` -> a non-negative integer; anything else is a user error. */
export function parseCount(flag: string, text: string): number {
  const match = /^(\d[\d_]*)([kKmMgG]?)$/.exec(text.trim());
  const value = match ? Number(match[1].replaceAll('_', '')) * SUFFIX[match[2].toLowerCase()] : Number.NaN;
  if (!Number.isSafeInteger(value)) throw new UserError(`${flag} must be a whole number such as 20000 or 10M (got "${text}")`);
  return value;
}

function positive(flag: string, text: string): number {
  const value = parseCount(flag, text);
  if (value < 1) throw new UserError(`${flag} must be at least 1 (got ${text})`);
  return value;
}

export function defaultMovies(ratings: number): number {
  return Math.min(ratings, REAL_MOVIES, Math.max(20, Math.round(ratings / RATINGS_PER_MOVIE)));
}

export function defaultCustomers(ratings: number, movies: number): number {
  const byRatio = Math.max(10, Math.round(ratings / RATINGS_PER_CUSTOMER));
  const byDensity = Math.ceil(ratings / (movies * MAX_DEFAULT_DENSITY));
  return Math.min(ratings, MAX_CUSTOMER_ID, Math.max(byRatio, byDensity));
}

const fmt = (n: number): string => n.toLocaleString('en-US');

/** Flags -> a complete, validated set of options; every problem is one line naming the flag. */
export function resolveGenerateOptions(flags: GenerateFlags): GenerateOptions {
  const ratings = flags.ratings === undefined ? 1_000_000 : positive('--ratings', flags.ratings);
  const movies = flags.movies === undefined ? defaultMovies(ratings) : positive('--movies', flags.movies);
  const customers = flags.customers === undefined ? defaultCustomers(ratings, movies) : positive('--customers', flags.customers);
  const seed = flags.seed === undefined ? 42 : parseCount('--seed', flags.seed);
  const layout = flags.layout ?? 'combined';

  if (layout !== 'combined' && layout !== 'training-set') {
    throw new UserError(`--layout must be combined or training-set (got "${layout}")`);
  }
  if (seed > 0xffffffff) throw new UserError(`--seed must be between 0 and 4294967295 (got ${flags.seed})`);
  if (movies > MAX_MOVIES) throw new UserError(`--movies must be at most ${fmt(MAX_MOVIES)} (got ${fmt(movies)})`);
  if (customers > MAX_CUSTOMER_ID) {
    throw new UserError(`--customers must be at most ${fmt(MAX_CUSTOMER_ID)}, the largest real customer id (got ${fmt(customers)})`);
  }
  if (ratings < movies) throw new UserError(`--ratings (${fmt(ratings)}) must be at least --movies (${fmt(movies)}): every movie gets a rating`);
  if (ratings < customers) {
    throw new UserError(`--ratings (${fmt(ratings)}) must be at least --customers (${fmt(customers)}): every customer rates a movie`);
  }
  if (ratings > movies * customers) {
    throw new UserError(
      `--ratings (${fmt(ratings)}) exceeds --movies x --customers (${fmt(movies * customers)}): a customer rates a movie at most once`,
    );
  }
  if (flags.dirty && movies < MIN_DIRTY_MOVIES) throw new UserError(`--dirty needs at least ${MIN_DIRTY_MOVIES} movies (got ${movies})`);

  return {
    out: flags.out,
    ratings,
    movies,
    customers,
    seed,
    layout,
    dirty: Boolean(flags.dirty),
    gzip: Boolean(flags.gzip),
    force: Boolean(flags.force),
  };
}
