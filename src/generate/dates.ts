/**
 * Rating dates of the synthetic data: every day of the real range 1999-11-11 .. 2005-12-31, drawn with
 * a popularity that grows over time as Netflix did (x2 a year, so 2005 holds about half of the ratings).
 */

const MS_PER_DAY = 86_400_000;
export const FIRST_RATING_DATE = '1999-11-11';
export const LAST_RATING_DATE = '2005-12-31';
const FIRST_DAY_MS = Date.parse(`${FIRST_RATING_DATE}T00:00:00Z`);

/** Number of days in the rating range (2,243). Day index 0 is 1999-11-11. */
export const DAY_COUNT = (Date.parse(`${LAST_RATING_DATE}T00:00:00Z`) - FIRST_DAY_MS) / MS_PER_DAY + 1;

const YEARLY_GROWTH = 2;

/** The `YYYY-MM-DD` text of a day index (it may lie outside the range, for dirty lines). */
export function dayToIso(day: number): string {
  return new Date(FIRST_DAY_MS + day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Bits of a random word used to draw a date (a lookup table of 2^16 entries). */
export const DATE_DRAW_BITS = 16;

/**
 * Inverse CDF of the date popularity, quantized to 2^16 entries: `table[u16]` is a day index.
 * One table lookup per rating instead of a search.
 */
export function dateDrawTable(): Uint16Array {
  const size = 1 << DATE_DRAW_BITS;
  const dailyGrowth = Math.pow(YEARLY_GROWTH, 1 / 365.25);
  const cumulative = new Float64Array(DAY_COUNT);
  let total = 0;
  for (let day = 0; day < DAY_COUNT; day++) {
    total += Math.pow(dailyGrowth, day);
    cumulative[day] = total;
  }
  const table = new Uint16Array(size);
  let day = 0;
  for (let i = 0; i < size; i++) {
    const target = ((i + 0.5) / size) * total;
    while (cumulative[day] < target) day++;
    table[i] = day;
  }
  return table;
}
