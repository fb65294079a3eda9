/** Reject reasons of the data contract. Rating-line reasons are checked in this order. */
export const RATING_REJECT_REASONS = [
  'bad_movie_header',
  'no_movie_header',
  'malformed_line',
  'bad_customer_id',
  'bad_rating',
  'bad_date',
] as const;

export const TITLE_REJECT_REASONS = ['bad_movie_line', 'duplicate_movie'] as const;

export type RatingRejectReason = (typeof RATING_REJECT_REASONS)[number];
export type TitleRejectReason = (typeof TITLE_REJECT_REASONS)[number];
export type RejectReason = RatingRejectReason | TitleRejectReason | 'duplicate';

export const ALL_REJECT_REASONS: readonly RejectReason[] = [...RATING_REJECT_REASONS, 'duplicate', ...TITLE_REJECT_REASONS];
