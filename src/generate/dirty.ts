import {DAY_COUNT, dayToIso} from './dates.js';
import type {ExpectedBuilder, RejectReason} from './expected.js';
import type {RatingFilePlan} from './layout.js';
import type {GenerateOptions} from './options.js';
import {Random, STREAM} from './random.js';
import {codeDay, codeRating, ratingDayCode, type MovieBlock} from './sampler.js';
import type {DataSetShape} from './shape.js';
import {titleLine, type MovieTitle, type TitleFileLine} from './titles.js';
import type {RatingFileWriter} from './writer.js';

/**
 * --dirty: every reject kind of SPEC 1.1/1.2, a few of each, written on top of the clean ratings
 * around four chosen movie blocks ("targets", one in each of four files spread over the data set).
 * Nothing here changes which clean ratings are drawn; every line written is reported to expected.json
 * with the one reason a correct transform must give it.
 *
 * Per target j (0..3), in file order:
 * - file start: rating lines before the first header (j=1), a bad header and its orphan line (j=2),
 *   blank and whitespace-only lines (j=3);
 * - the target block: a CRLF header (j=1) or a padded one (j=2), then its first rows written one by one:
 *   some with spaces, tabs or CRLF (valid), interleaved with invalid lines of every field reason;
 *   up to four rows become duplicate sources s0..s3;
 * - after the block: duplicates of s0 (later date: wins), s1 (earlier date: loses), s2 (equal date: the
 *   later line wins);
 * - file end: bad headers with orphan rating lines (j=0,1), then a second block for target j-1 in this
 *   file (s0 later again, s1 equal date: the later file wins, s2 earlier) and a second block for target j
 *   in its own file (s3 equal date), then blank lines (j=0). The last rating file has no final newline.
 */

/** Rows of a target block written one by one (the rest go through the hot path). */
const SLOW_ROWS = 12;
/** Duplicate sources per target block. */
const SOURCES = 4;
/** Duplicates move a date by up to this many days, twice at most: sources keep this far from the range ends. */
const MAX_SHIFT_DAYS = 30;
const TARGETS = 4;

interface DirtyLine {
  text: string;
  reason: RejectReason;
}

interface Source {
  movieId: number;
  customerIndex: number;
  customerId: number;
  code: number;
}

type DateRule = 'later' | 'earlier' | 'equal';

/** Valid rating lines in a legal but unusual dress: the transform must accept them. */
const STYLES: readonly {prefix: string; suffix: string; eol: string}[] = [
  {prefix: ' ', suffix: '', eol: '\n'},
  {prefix: '', suffix: '\t', eol: '\n'},
  {prefix: '', suffix: '', eol: '\r\n'},
  {prefix: '\t ', suffix: ' \t', eol: '\n'},
  {prefix: '', suffix: '  ', eol: '\r\n'},
];

export class DirtyData {
  private readonly random: Random;
  /** File index -> target number j. */
  private readonly targetOfFile = new Map<number, number>();
  private readonly targetMovies: number[] = [];
  private readonly sources: Source[][] = [];
  private readonly fieldRejects: DirtyLine[][] = [];

  constructor(
    private readonly options: GenerateOptions,
    private readonly shape: DataSetShape,
    private readonly files: readonly RatingFilePlan[],
    private readonly expected: ExpectedBuilder,
  ) {
    this.random = new Random(options.seed, STREAM.dirty);
    this.chooseTargets();
    const lines = this.fieldRejectLines();
    for (let j = 0; j < TARGETS; j++) this.fieldRejects.push(lines.filter((_, i) => i % TARGETS === j));
  }

  /** Four files spread over the data set, and in each the first block with enough rows to dirty. */
  private chooseTargets(): void {
    const counts = this.shape.movieRatings;
    const bigEnough = (from: number, to: number): number => {
      for (let movieId = from; movieId <= to; movieId++) if (counts[movieId - 1] >= SLOW_ROWS) return movieId;
      return from;
    };
    let nextMovie = 1;
    for (let j = 0; j < TARGETS; j++) {
      let movieId: number;
      if (this.options.layout === 'combined') {
        const file = this.files[j];
        movieId = bigEnough(file.firstMovie, file.lastMovie);
      } else {
        // one movie per file: spread the targets, leaving a movie for each target still to come
        const spread = 1 + Math.round((j * (this.options.movies - 1)) / (TARGETS - 1));
        movieId = bigEnough(Math.max(spread, nextMovie), this.options.movies - (TARGETS - 1 - j));
      }
      const fileIndex = this.files.findIndex((f) => f.firstMovie <= movieId && movieId <= f.lastMovie);
      this.targetOfFile.set(fileIndex, j);
      this.targetMovies.push(movieId);
      this.sources.push([]);
      nextMovie = movieId + 1;
    }
  }

  private anyCustomerId(): number {
    return this.shape.customerIds[this.random.below(this.shape.customerIds.length)];
  }

  private anyDate(): string {
    return dayToIso(this.random.below(DAY_COUNT));
  }

  /** A well-formed rating line; written where no block is open, it is a no_movie_header reject. */
  private orphanLine(): DirtyLine {
    return {text: `${this.anyCustomerId()},${this.random.between(1, 5)},${this.anyDate()}`, reason: 'no_movie_header'};
  }

  /** One line for each way a line inside a block can fail, some failing several checks (the first one counts). */
  private fieldRejectLines(): DirtyLine[] {
    const c = (): number => this.anyCustomerId();
    const r = (): number => this.random.between(1, 5);
    const d = (): string => this.anyDate();
    return [
      {text: `${c()},${r()}`, reason: 'malformed_line'},
      {text: `${c()},${r()},${d()},${r()}`, reason: 'malformed_line'},
      {text: `${c()}`, reason: 'malformed_line'},
      {text: `0,9`, reason: 'malformed_line'},
      {text: `0,${r()},${d()}`, reason: 'bad_customer_id'},
      {text: `-3,${r()},${d()}`, reason: 'bad_customer_id'},
      {text: `2147483648,${r()},${d()}`, reason: 'bad_customer_id'},
      {text: `12a,${r()},${d()}`, reason: 'bad_customer_id'},
      {text: `,${r()},${d()}`, reason: 'bad_customer_id'},
      {text: `abc,6,2005-13-01`, reason: 'bad_customer_id'},
      {text: `${c()},0,${d()}`, reason: 'bad_rating'},
      {text: `${c()},6,${d()}`, reason: 'bad_rating'},
      {text: `${c()},3.5,${d()}`, reason: 'bad_rating'},
      {text: `${c()},,${d()}`, reason: 'bad_rating'},
      {text: `${c()},6,2005-13-01`, reason: 'bad_rating'},
      {text: `${c()},${r()},2005-02-30`, reason: 'bad_date'},
      {text: `${c()},${r()},2005-13-01`, reason: 'bad_date'},
      {text: `${c()},${r()},05-01-01`, reason: 'bad_date'},
      {text: `${c()},${r()},2005/01/01`, reason: 'bad_date'},
      {text: `${c()},${r()},2003-02-29`, reason: 'bad_date'},
    ];
  }

  private async reject(writer: RatingFileWriter, path: string, line: DirtyLine): Promise<void> {
    this.expected.reject(path, await writer.text(line.text, 'rejected'), line.reason);
  }

  async fileStart(writer: RatingFileWriter, fileIndex: number): Promise<void> {
    const j = this.targetOfFile.get(fileIndex);
    const {path} = this.files[fileIndex];
    if (j === 1) {
      await this.reject(writer, path, this.orphanLine());
      await this.reject(writer, path, this.orphanLine());
    } else if (j === 2) {
      await this.reject(writer, path, {text: 'abc:', reason: 'bad_movie_header'});
      await this.reject(writer, path, this.orphanLine());
    } else if (j === 3) {
      await writer.text('', 'blank');
      await writer.text(' \t ', 'blank');
      await this.reject(writer, path, this.orphanLine());
    }
  }

  async header(writer: RatingFileWriter, fileIndex: number, movieId: number): Promise<void> {
    const j = this.targetOfFile.get(fileIndex);
    if (j === undefined || this.targetMovies[j] !== movieId) await writer.header(movieId);
    else if (j === 1) await writer.text(`${movieId}:`, 'header', '\r\n');
    else if (j === 2) await writer.text(`  ${movieId}:\t`, 'header');
    else await writer.header(movieId);
  }

  /** Writes the first rows of a target block one by one with dirt in between; returns how many rows it wrote. */
  async blockStart(writer: RatingFileWriter, fileIndex: number, block: MovieBlock): Promise<number> {
    const j = this.targetOfFile.get(fileIndex);
    if (j === undefined || this.targetMovies[j] !== block.movieId) return 0;
    const {path} = this.files[fileIndex];
    if (j === 0) await writer.text('', 'blank');
    if (j === 2) await writer.text('', 'blank', '\r\n');
    const rows = Math.min(SLOW_ROWS, block.count);
    const sources = this.sources[j];
    const junk = [...this.fieldRejects[j]];
    for (let row = 0; row < rows; row++) {
      const customerIndex = block.customers[row];
      const code = block.ratingDay[row];
      const customerId = this.shape.customerIds[customerIndex];
      const body = `${customerId},${codeRating(code)},${dayToIso(codeDay(code))}`;
      const day = codeDay(code);
      if (sources.length < SOURCES && day >= 2 * MAX_SHIFT_DAYS && day < DAY_COUNT - 2 * MAX_SHIFT_DAYS) {
        const line = await writer.text(body, 'rating');
        sources.push({movieId: block.movieId, customerIndex, customerId, code});
        this.expected.occurrence(block.movieId, customerIndex, path, line, code, true);
      } else {
        const style = STYLES[(row + j) % STYLES.length];
        await writer.text(`${style.prefix}${body}${style.suffix}`, 'rating', style.eol);
      }
      const dirt = junk.shift();
      if (dirt) await this.reject(writer, path, dirt);
      if (row === 2 && j === 1) await writer.text('\t', 'blank');
    }
    for (const dirt of junk) await this.reject(writer, path, dirt);
    return rows;
  }

  async blockEnd(writer: RatingFileWriter, fileIndex: number, block: MovieBlock): Promise<void> {
    const j = this.targetOfFile.get(fileIndex);
    if (j === undefined || this.targetMovies[j] !== block.movieId) return;
    const [s0, s1, s2] = this.sources[j];
    await this.duplicate(writer, fileIndex, s0, 'later');
    await this.duplicate(writer, fileIndex, s1, 'earlier');
    await this.duplicate(writer, fileIndex, s2, 'equal');
  }

  async fileEnd(writer: RatingFileWriter, fileIndex: number): Promise<void> {
    const j = this.targetOfFile.get(fileIndex);
    if (j === undefined) return;
    const {path} = this.files[fileIndex];
    if (j === 0) {
      await this.reject(writer, path, {text: '-5:', reason: 'bad_movie_header'});
      await this.reject(writer, path, this.orphanLine());
      await this.reject(writer, path, this.orphanLine());
    } else if (j === 1) {
      await this.reject(writer, path, {text: '0:', reason: 'bad_movie_header'});
      await this.reject(writer, path, {text: '12x:', reason: 'bad_movie_header'});
      await this.reject(writer, path, this.orphanLine());
    }
    if (j > 0 && this.sources[j - 1].length > 0) {
      const [s0, s1, s2] = this.sources[j - 1];
      await writer.header(this.targetMovies[j - 1]);
      await this.duplicate(writer, fileIndex, s0, 'later');
      await this.duplicate(writer, fileIndex, s1, 'equal');
      await this.duplicate(writer, fileIndex, s2, 'earlier');
    }
    const s3 = this.sources[j][3];
    if (s3) {
      await writer.header(this.targetMovies[j]);
      await this.duplicate(writer, fileIndex, s3, 'equal');
    }
    if (j === 0) {
      await writer.text('', 'blank');
      await writer.text('', 'blank');
    }
  }

  /** Another occurrence of a source's pair, dated relative to the occurrences so far, with another rating. */
  private async duplicate(writer: RatingFileWriter, fileIndex: number, source: Source | undefined, rule: DateRule): Promise<void> {
    if (!source) return;
    const days = this.expected.occurrenceDays(source.movieId, source.customerIndex);
    const shift = this.random.between(1, MAX_SHIFT_DAYS);
    const day = rule === 'later' ? Math.max(...days) + shift : rule === 'earlier' ? Math.min(...days) - shift : codeDay(source.code);
    const rating = ((codeRating(source.code) - 1 + this.random.between(1, 4)) % 5) + 1;
    const code = ratingDayCode(rating, day);
    const {path} = this.files[fileIndex];
    const line = await writer.text(`${source.customerId},${rating},${dayToIso(day)}`, 'rating');
    this.expected.occurrence(source.movieId, source.customerIndex, path, line, code, false);
  }

  /** The last rating file ends without a newline, as Kaggle's truncated copies do. */
  trailingNewline(fileIndex: number): boolean {
    return fileIndex !== this.files.length - 1;
  }

  /**
   * The movie list with its traps: one movie with ratings but no title line, a title line for a movie
   * without ratings, a repeated id, lines with a bad id or year, an empty year, CRLF, trailing blanks
   * and blank lines.
   */
  titleLines(titles: readonly MovieTitle[]): TitleFileLine[] {
    const {movies} = this.options;
    const pickMovie = (taken: Set<number>): number => {
      let movieId = this.random.between(1, movies);
      while (taken.has(movieId)) movieId = (movieId % movies) + 1;
      taken.add(movieId);
      return movieId;
    };
    const taken = new Set<number>(this.targetMovies);
    const untitled = pickMovie(taken);
    const repeated = pickMovie(taken);
    const emptyYear = pickMovie(taken);
    const crlf = pickMovie(taken);
    const trailingBlanks = pickMovie(taken);
    const anyTitle = (): string => titles[this.random.below(titles.length)].title;

    const lines: TitleFileLine[] = [];
    for (const title of titles) {
      const id = title.movieId;
      if (id === untitled) continue;
      if (id === emptyYear) lines.push({text: `${id},,${title.title}`, kind: 'title', eol: '\n', movieId: id});
      else if (id === crlf) lines.push({text: titleLine(title), kind: 'title', eol: '\r\n', movieId: id});
      else if (id === trailingBlanks) lines.push({text: `${titleLine(title)} \t`, kind: 'title', eol: '\n', movieId: id});
      else lines.push({text: titleLine(title), kind: 'title', eol: '\n', movieId: id});
      if (id === repeated) lines.push({text: `${id},1999,${anyTitle()}`, kind: 'duplicate_movie', eol: '\n'});
      if (id === Math.ceil(movies / 3)) {
        lines.push({text: '', kind: 'blank', eol: '\n'});
        lines.push({text: `x12,2001,${anyTitle()}`, kind: 'bad_movie_line', eol: '\n'});
        lines.push({text: `0,1999,${anyTitle()}`, kind: 'bad_movie_line', eol: '\n'});
      }
      if (id === Math.ceil((2 * movies) / 3)) {
        lines.push({text: `${movies + 100},19x5,${anyTitle()}`, kind: 'bad_movie_line', eol: '\n'});
        lines.push({text: '   ', kind: 'blank', eol: '\n'});
      }
    }
    lines.push({text: `${movies + 1},2004,${anyTitle()}`, kind: 'title', eol: '\n', movieId: movies + 1});
    return lines;
  }
}
