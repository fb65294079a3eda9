/**
 * Calendar arithmetic for `YYYY-MM-DD` dates, as days since 1970-01-01 (DuckDB's DATE representation).
 * A table of month starts for years 1..9999 makes validation and conversion two lookups on the hot path.
 */
const FIRST_YEAR = 1;
const LAST_YEAR = 9999;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days from 1970-01-01 to the given proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** MONTH_START[year * 12 + month - 1] = days of the month's first day; MONTH_LENGTH likewise. */
const MONTH_START = new Int32Array((LAST_YEAR + 1) * 12);
const MONTH_LENGTH = new Uint8Array((LAST_YEAR + 1) * 12);
for (let year = FIRST_YEAR; year <= LAST_YEAR; year++) {
  for (let month = 1; month <= 12; month++) {
    MONTH_START[year * 12 + month - 1] = daysFromCivil(year, month, 1);
    MONTH_LENGTH[year * 12 + month - 1] = daysInMonth(year, month);
  }
}

/** Days since 1970-01-01, or NaN when year/month/day is not a real calendar date in years 1..9999. */
export function calendarDays(year: number, month: number, day: number): number {
  if (year < FIRST_YEAR || year > LAST_YEAR || month < 1 || month > 12 || day < 1) return NaN;
  const index = year * 12 + month - 1;
  if (day > MONTH_LENGTH[index]) return NaN;
  return MONTH_START[index] + day - 1;
}

/** Parses a strict `YYYY-MM-DD` string; NaN when it is not one. */
export function parseIsoDate(text: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return NaN;
  return calendarDays(Number(text.slice(0, 4)), Number(text.slice(5, 7)), Number(text.slice(8, 10)));
}

export function formatDays(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}
