import {dayToIso, DAY_COUNT} from './dates.js';
import type {Layout} from './options.js';
import {codeDay, codeRating, RATING_DAY_CODES} from './sampler.js';
import type {TitleFileLine} from './titles.js';
import type {LineCounts} from './writer.js';

/**
 * expected.json: what a correct transform of the generated files must produce (SPEC 1.1-1.3), so
 * transform tests can compare against numbers the generator knows by construction.
 */
// the reasons are the contract's vocabulary (src/reasons.ts, beside errors and exit codes); the counts are the generator's own
import {ALL_REJECT_REASONS as REJECT_REASONS, type RejectReason} from '../reasons.js';

export {REJECT_REASONS, type RejectReason};

export interface ExpectedFile {
  lines_non_blank: number;
  blank_lines: number;
  headers: number;
  accepted: number;
  rejected: number;
}

export interface ExpectedReject {
  source_file: string;
  line_number: number;
  reason: RejectReason;
}

export interface Expected {
  seed: number;
  layout: Layout;
  dirty: boolean;
  fact_ratings: number;
  dim_movie: number;
  dim_customer: number;
  movies_without_title: number;
  rating_min_date: string;
  rating_max_date: string;
  rating_sum: number;
  /** Kept ratings of each star value 1..5 (the stars_1 .. stars_5 of agg_date and agg_movie, summed). */
  ratings_by_star: [number, number, number, number, number];
  /** Days with at least one kept rating: the rows of agg_date. */
  rating_days: number;
  /** Movies with a title line and no rating: rows of agg_movie with rating_count 0. */
  movies_unrated: number;
  /** Ratings flagged is_probe: the accepted lines of probe.txt (SPEC 1.4). */
  probe_ratings: number;
  /** Rows of fact_qualifying: the accepted lines of qualifying.txt, and their first and last date. */
  fact_qualifying: number;
  qualifying_min_date: string | null;
  qualifying_max_date: string | null;
  rejects_by_reason: Record<RejectReason, number>;
  files: Record<string, ExpectedFile>;
  rejects: ExpectedReject[];
}

type PairTotals = Pick<Expected, 'probe_ratings' | 'fact_qualifying' | 'qualifying_min_date' | 'qualifying_max_date'>;

/** One occurrence of a (movie, customer) pair that occurs more than once. */
interface Occurrence {
  fileOrder: number;
  path: string;
  line: number;
  code: number;
  /** Whether the sampler counted it (the original row); extra occurrences were written by --dirty. */
  drawn: boolean;
}

/** Collects the line accounting while files are written, then resolves duplicates and totals. */
export class ExpectedBuilder {
  private readonly files = new Map<string, {order: number; counts: LineCounts}>();
  private readonly rejects: ExpectedReject[] = [];
  private readonly occurrences = new Map<string, Occurrence[]>();
  private readonly titledMovies = new Set<number>();
  private pairTotals: PairTotals = {probe_ratings: 0, fact_qualifying: 0, qualifying_min_date: null, qualifying_max_date: null};

  constructor(
    private readonly base: {seed: number; layout: Layout; dirty: boolean; movies: number; customers: number; ratings: number},
  ) {}

  /** Rating files must begin in sorted path order: the order in which a transform reads them. */
  beginFile(path: string): void {
    this.files.set(path, {order: this.files.size, counts: {lines: 0, blank: 0, headers: 0, ratings: 0, rejected: 0}});
  }

  endFile(path: string, counts: LineCounts): void {
    this.files.get(path)!.counts = {...counts};
  }

  /** The movie titles file, from what each of its lines is meant to be. */
  titlesFile(path: string, lines: readonly TitleFileLine[]): void {
    const counts: LineCounts = {lines: lines.length, blank: 0, headers: 0, ratings: 0, rejected: 0};
    lines.forEach((line, i) => {
      if (line.kind === 'title') {
        counts.ratings++;
        this.titledMovies.add(line.movieId!);
      } else if (line.kind === 'blank') {
        counts.blank++;
      } else {
        counts.rejected++;
        this.reject(path, i + 1, line.kind);
      }
    });
    this.files.set(path, {order: this.files.size, counts});
  }

  /**
   * probe.txt or qualifying.txt once written: its line accounting from the writer (kind `rating` = accepted
   * lines; every relational reject was written as `rejected` with its reason) and what its kept lines add up to.
   */
  pairFile(path: string, counts: LineCounts, totals: Partial<PairTotals>): void {
    this.files.set(path, {order: this.files.size, counts: {...counts}});
    this.pairTotals = {...this.pairTotals, ...totals};
  }

  reject(path: string, line: number, reason: RejectReason): void {
    this.rejects.push({source_file: path, line_number: line, reason});
  }

  /** A rating line of a pair that has (or will have) other occurrences; files must be registered in path order. */
  occurrence(movieId: number, customerIndex: number, path: string, line: number, code: number, drawn: boolean): void {
    const key = `${movieId}:${customerIndex}`;
    const list = this.occurrences.get(key) ?? [];
    list.push({fileOrder: this.files.get(path)!.order, path, line, code, drawn});
    this.occurrences.set(key, list);
  }

  /** Days of the occurrences recorded so far of a pair. */
  occurrenceDays(movieId: number, customerIndex: number): number[] {
    return (this.occurrences.get(`${movieId}:${customerIndex}`) ?? []).map((o) => codeDay(o.code));
  }

  /** `codeCounts`: rows drawn per rating-day code (sampler.ts); duplicates are resolved against it. */
  build(codeCounts: Float64Array): Expected {
    const counts = Float64Array.from(codeCounts);
    const losersByFile = new Map<string, number>();
    for (const list of this.occurrences.values()) {
      // SPEC 1.1: the latest date wins; on equal dates the later occurrence (file path order, then line)
      let winner = list[0];
      for (const o of list.slice(1)) {
        const later = codeDay(o.code) - codeDay(winner.code) || o.fileOrder - winner.fileOrder || o.line - winner.line;
        if (later > 0) winner = o;
      }
      for (const o of list) {
        if (o.drawn) counts[o.code]--;
        if (o === winner) continue;
        this.reject(o.path, o.line, 'duplicate');
        losersByFile.set(o.path, (losersByFile.get(o.path) ?? 0) + 1);
      }
      counts[winner.code]++;
    }

    let factRatings = 0;
    let ratingSum = 0;
    let minDay = DAY_COUNT;
    let maxDay = -1;
    const byStar: Expected['ratings_by_star'] = [0, 0, 0, 0, 0];
    const days = new Set<number>();
    for (let code = 0; code < RATING_DAY_CODES; code++) {
      if (counts[code] === 0) continue;
      factRatings += counts[code];
      ratingSum += counts[code] * codeRating(code);
      byStar[codeRating(code) - 1] += counts[code];
      days.add(codeDay(code));
      minDay = Math.min(minDay, codeDay(code));
      maxDay = Math.max(maxDay, codeDay(code));
    }

    if (factRatings !== this.base.ratings) throw new Error(`expected ${this.base.ratings} fact ratings, counted ${factRatings}`);

    const files: Record<string, ExpectedFile> = {};
    for (const [path, {counts: c}] of this.files) {
      const losers = losersByFile.get(path) ?? 0;
      files[path] = {
        lines_non_blank: c.lines - c.blank,
        blank_lines: c.blank,
        headers: c.headers,
        accepted: c.ratings - losers,
        rejected: c.rejected + losers,
      };
    }

    const byPath = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
    const rejects = [...this.rejects].sort((a, b) => byPath(a.source_file, b.source_file) || a.line_number - b.line_number);
    const byReason = Object.fromEntries(REJECT_REASONS.map((r) => [r, 0])) as Record<RejectReason, number>;
    for (const r of rejects) byReason[r.reason]++;

    // every movie 1..movies keeps at least one rating; titles may add movies without ratings
    const {movies} = this.base;
    let moviesWithoutTitle = 0;
    for (let movieId = 1; movieId <= movies; movieId++) if (!this.titledMovies.has(movieId)) moviesWithoutTitle++;
    let titledOnly = 0;
    for (const movieId of this.titledMovies) if (movieId > movies) titledOnly++;

    return {
      seed: this.base.seed,
      layout: this.base.layout,
      dirty: this.base.dirty,
      fact_ratings: factRatings,
      dim_movie: movies + titledOnly,
      // every customer is handed at least one movie (sampler.ts), and --dirty only repeats existing pairs
      dim_customer: this.base.customers,
      movies_without_title: moviesWithoutTitle,
      rating_min_date: dayToIso(minDay),
      rating_max_date: dayToIso(maxDay),
      rating_sum: ratingSum,
      ratings_by_star: byStar,
      rating_days: days.size,
      movies_unrated: titledOnly,
      ...this.pairTotals,
      rejects_by_reason: byReason,
      files,
      rejects,
    };
  }
}
