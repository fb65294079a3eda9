import {REAL_MOVIES, type Layout} from './options.js';

/** One rating file to write: its path relative to --out and the movie ids whose blocks it holds. */
export interface RatingFilePlan {
  path: string;
  firstMovie: number;
  lastMovie: number;
}

/** Last movie id of Kaggle's combined_data_1..3 (the 4th ends at the last movie). */
const REAL_COMBINED_ENDS = [4499, 9210, 13367] as const;

/**
 * The rating files of a layout, in sorted path order (the order a transform reads them).
 * `combined`: Kaggle's combined_data_1..4.txt, movies split by contiguous id ranges in the real proportions.
 * `training-set`: the original training_set/mv_NNNNNNN.txt, one movie block per file.
 */
export function ratingFilePlans(layout: Layout, movies: number, gzip: boolean): RatingFilePlan[] {
  const suffix = gzip ? '.txt.gz' : '.txt';
  if (layout === 'training-set') {
    return Array.from({length: movies}, (_, i) => ({
      path: `training_set/mv_${String(i + 1).padStart(7, '0')}${suffix}`,
      firstMovie: i + 1,
      lastMovie: i + 1,
    }));
  }
  const ends = [...REAL_COMBINED_ENDS.map((end) => Math.round((movies * end) / REAL_MOVIES)), movies];
  const plans: RatingFilePlan[] = [];
  let first = 1;
  ends.forEach((end, i) => {
    if (end >= first) plans.push({path: `combined_data_${i + 1}${suffix}`, firstMovie: first, lastMovie: end});
    first = Math.max(first, end + 1);
  });
  return plans;
}

/** The movie list is movie_titles.csv in the Kaggle download and movie_titles.txt in the original one. */
export function titlesFileName(layout: Layout): string {
  return layout === 'combined' ? 'movie_titles.csv' : 'movie_titles.txt';
}
