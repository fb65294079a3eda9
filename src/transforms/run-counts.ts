/**
 * What the aggregate tables agg_movie, agg_movie_month and agg_date (SPEC 2.1) add up, counted by a parse
 * thread as the ranker closes each movie run (rank.ts), while the run's dates and ratings are in the cache: a
 * full transform's SQL then rolls up these few rows (sql/duckdb/55-57) instead of grouping all fact rows by
 * (movie, month, star) and by (day, star), 2.4-2.9 s at 100M ratings. They count every accepted rating line;
 * the duplicate rule's losers are taken off in SQL (dup_loser_rating, 10_duplicates.sql).
 */

const TWO_32 = 4294967296;

/** int64 columns of a staging table as pairs of 32-bit words per row (low, high), as StagingLoader copies them. */
export interface CountRows {
  columns: Int32Array[];
  rows: number;
}

/** CountRows grown as rows are added; each value is set as its two words, or as a non-negative integer < 2^53. */
export class CountTable implements CountRows {
  columns: Int32Array[];
  rows = 0;

  constructor(width: number) {
    this.columns = Array.from({length: width}, () => new Int32Array(2 * 1024));
  }

  /** Makes room for one more row and returns its index; `rows` counts it. */
  next(): number {
    if (2 * this.rows === this.columns[0].length) {
      this.columns = this.columns.map((words) => {
        const grown = new Int32Array(2 * words.length);
        grown.set(words);
        return grown;
      });
    }
    return this.rows++;
  }

  words(column: number, row: number, high: number, low: number): void {
    this.columns[column][2 * row] = low;
    this.columns[column][2 * row + 1] = high;
  }

  value(column: number, row: number, value: number): void {
    this.words(column, row, Math.floor(value / TWO_32), value % TWO_32);
  }
}

/** One rating file's counts, as rows of the staging tables stg_count_movie_month, _movie_star and _day_star (01_staging.sql). */
export interface FileCounts {
  /** (movie_id * 2^32 + month_key YYYYMM, ratings, rating_sum): per movie run and calendar month with ratings. */
  movieMonths: CountRows;
  /** (movie_id * 8 + star, ratings, first_date_key * 2^32 + last_date_key of the run): per movie run and star with ratings. */
  movieStars: CountRows;
  /** (date_key * 8 + star, ratings): per day and star with ratings, over the file. */
  dayStars: CountRows;
}

/**
 * Months and days are counted in a window of WINDOW_YEARS calendar years: a day's slot is (its month's index
 * in the window) * 32 + day - 1, its counters at slot * 8 + star. Real data spans a few years; a date outside
 * the window flushes what it holds into rows and moves it, so memory stays bounded whatever the dates.
 */
const WINDOW_YEARS = 100;
const WINDOW_MONTHS = 12 * WINDOW_YEARS;

/**
 * A parse thread's counter, kept from file to file (the original layout has one file per movie: its windows
 * are allocated and faulted in once, not 17,770 times); finish() hands over each file's rows.
 */
export class RunCounts {
  private movieMonths = new CountTable(3);
  private movieStars = new CountTable(3);
  private dayRows = new CountTable(2);
  /** The window's first year; far off until the first rating, so that its date moves the window (an int32, unlike NaN, keeps the hot loop's arithmetic on integers). */
  private baseYear = -100_000;
  private readonly monthRatings = new Float64Array(WINDOW_MONTHS);
  private readonly monthSums = new Float64Array(WINDOW_MONTHS);
  /** slot * 8 + star -> ratings */
  private readonly dayStars = new Float64Array(WINDOW_MONTHS * 32 * 8);
  /** date_key - baseYear * 10000 -> slot + 1 (0: not looked up yet): no division per rating. Zero pages until touched. */
  private readonly slots = new Int32Array(WINDOW_YEARS * 10000);
  private readonly starRatings = new Float64Array(8);
  // the run being counted: its movie and the window months it touched
  private movieId = 0;
  private low = WINDOW_MONTHS;
  private high = -1;
  /** The window months holding day counts since the last flushDays(). */
  private daysLow = WINDOW_MONTHS;
  private daysHigh = -1;

  /** Hot path: the run's `n` values (date_key << 4 | rating) of movie `movieId`. */
  addRun(movieId: number, dateRatings: Int32Array, n: number): void {
    const {monthRatings, monthSums, dayStars, slots, starRatings} = this;
    this.movieId = movieId;
    starRatings.fill(0);
    let first = 0x7fffffff;
    let last = 0;
    let low = WINDOW_MONTHS;
    let high = -1;
    let dateBase = this.baseYear * 10000;
    for (let i = 0; i < n; i++) {
      const dateRating = dateRatings[i];
      const dateKey = dateRating >>> 4;
      const star = dateRating & 7;
      const at = dateKey - dateBase;
      let slot = at >= 0 && at < slots.length ? slots[at] - 1 : -1;
      if (slot < 0) {
        [this.low, this.high] = [low, high];
        slot = this.slotOf(dateKey);
        [low, high] = [this.low, this.high];
        dateBase = this.baseYear * 10000;
      }
      const month = slot >> 5;
      monthRatings[month]++;
      monthSums[month] += star;
      if (month < low) low = month;
      if (month > high) high = month;
      dayStars[(slot << 3) | star]++;
      starRatings[star]++;
      if (dateKey < first) first = dateKey;
      if (dateKey > last) last = dateKey;
    }
    [this.low, this.high] = [low, high];
    if (low < this.daysLow) this.daysLow = low;
    if (high > this.daysHigh) this.daysHigh = high;
    this.flushMonths();
    for (let star = 1; star <= 5; star++) {
      if (starRatings[star] === 0) continue;
      const row = this.movieStars.next();
      this.movieStars.value(0, row, movieId * 8 + star);
      this.movieStars.value(1, row, starRatings[star]);
      this.movieStars.words(2, row, first, last);
    }
  }

  /** The file's counts (the day and star counts become rows here); the next file starts from none. */
  finish(): FileCounts {
    this.flushDays();
    const counts = {movieMonths: this.movieMonths, movieStars: this.movieStars, dayStars: this.dayRows};
    this.movieMonths = new CountTable(3);
    this.movieStars = new CountTable(3);
    this.dayRows = new CountTable(2);
    return counts;
  }

  /** The slot of `dateKey`, looked up once per date: the window moves first when the date is outside it. */
  private slotOf(dateKey: number): number {
    const year = Math.floor(dateKey / 10000);
    const month = Math.floor(dateKey / 100) % 100;
    if (year < this.baseYear || year >= this.baseYear + WINDOW_YEARS) {
      if (this.low < this.daysLow) this.daysLow = this.low;
      if (this.high > this.daysHigh) this.daysHigh = this.high;
      this.flushMonths();
      this.flushDays();
      this.slots.fill(0);
      this.baseYear = year - WINDOW_YEARS / 2;
    }
    const slot = ((year - this.baseYear) * 12 + month - 1) * 32 + (dateKey % 100) - 1;
    this.slots[dateKey - this.baseYear * 10000] = slot + 1;
    return slot;
  }

  /** The run's months touched since the last flush as rows, and their counters back to 0. */
  private flushMonths(): void {
    for (let m = this.low; m <= this.high; m++) {
      const ratings = this.monthRatings[m];
      if (ratings === 0) continue;
      const row = this.movieMonths.next();
      const monthIndex = this.baseYear * 12 + m;
      this.movieMonths.words(0, row, this.movieId, Math.floor(monthIndex / 12) * 100 + (monthIndex % 12) + 1);
      this.movieMonths.value(1, row, ratings);
      this.movieMonths.value(2, row, this.monthSums[m]);
      this.monthRatings[m] = 0;
      this.monthSums[m] = 0;
    }
    this.low = WINDOW_MONTHS;
    this.high = -1;
  }

  /** The window's (day, star) counters as rows, and back to 0: those of the months counted since the last flush. */
  private flushDays(): void {
    const dayStars = this.dayStars;
    for (let i = this.daysLow * 256, end = (this.daysHigh + 1) * 256; i < end; i++) {
      if (dayStars[i] === 0) continue;
      const slot = i >> 3;
      const monthIndex = this.baseYear * 12 + (slot >> 5);
      const dateKey = Math.floor(monthIndex / 12) * 10000 + ((monthIndex % 12) + 1) * 100 + (slot & 31) + 1;
      const row = this.dayRows.next();
      this.dayRows.value(0, row, dateKey * 8 + (i & 7));
      this.dayRows.value(1, row, dayStars[i]);
      dayStars[i] = 0;
    }
    this.daysLow = WINDOW_MONTHS;
    this.daysHigh = -1;
  }
}
