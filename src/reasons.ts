// The data contract's vocabulary of reject reasons (SPEC 1.1-1.4), read by the transform and by the generator alike.
/** Reject reasons of the data contract. Rating-line reasons are checked in this order. */
export const RATING_REJECT_REASONS = [
  'bad_movie_header',
  'no_movie_header',
  'malformed_line',
  'bad_customer_id',
  'bad_rating',
  'bad_date',
] as const;

/** Rules of SPEC 1.4 that check a probe or qualifying line against the star schema (besides `duplicate`). */
export const PAIR_REJECT_REASONS = ['probe_not_rated', 'unknown_movie', 'unknown_customer'] as const;

export const TITLE_REJECT_REASONS = ['bad_movie_line', 'duplicate_movie'] as const;

export type RatingRejectReason = (typeof RATING_REJECT_REASONS)[number];
export type TitleRejectReason = (typeof TITLE_REJECT_REASONS)[number];
export type PairRejectReason = (typeof PAIR_REJECT_REASONS)[number];
export type RejectReason = RatingRejectReason | TitleRejectReason | PairRejectReason | 'duplicate';

export const ALL_REJECT_REASONS: readonly RejectReason[] = [...RATING_REJECT_REASONS, 'duplicate', ...PAIR_REJECT_REASONS, ...TITLE_REJECT_REASONS];
