/**
 * Bad inputs, fuzzed (issue 7). Valid rating and title files are made up and then damaged at random: random
 * bytes, truncation at any byte, splices of two files, mixed CR / LF / CRLF line ends, repeated lines and
 * headers, NUL and non-UTF-8 bytes, megabyte-long lines, corrupt and truncated .gz files. Each case is checked
 * against the contract itself:
 *
 * - the line accounting, from the stored tables: for every file, the lines and blank lines counted here with a
 *   plain split on LF (contract-model.ts) equal source_file's, and headers + accepted + rows of `rejects` equal
 *   the non-blank lines; the accepted ratings add up to fact_ratings;
 * - more than the sums: every reject (line, reason, raw text), every fact row and every movie equal what the
 *   contract's sentences give for those bytes;
 * - nothing crashes or hangs: exit code 0, or 3 exactly when the rejects exceed --max-reject-rate, or 2 for a
 *   titles file with a NUL byte and a damaged .gz (then nothing is written: no database, no temporary file).
 *
 * Most cases run in-process through runTransform (fast); a smaller share through the built CLI.
 * NFX_RELIABILITY_SCALE multiplies the cases; NFX_FUZZ_SEED replays or changes the seed (fast-check prints
 * seed and path of a failure).
 */
import {mkdirSync, readdirSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {gunzipSync, gzipSync} from 'node:zlib';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {isUserError} from '../../src/errors.js';
import {RatingBatch, RatingFileParser} from '../../src/transforms/parse.js';
import {runTransform} from '../../src/transforms/pipeline.js';
import {runNfx} from '../helpers/cli.js';
import {queryDuckDB} from '../helpers/duckdb.js';
import {tempDir} from '../helpers/tmp.js';
import {facts, writeDataset, type Transformed} from '../transform/dataset.js';
import {modelDataSet, type InputBytes, type ModelDataSet} from './contract-model.js';
import {recordFigure, trials} from './record.js';

const SEED = process.env.NFX_FUZZ_SEED ? Number(process.env.NFX_FUZZ_SEED) : 20_261_126;
const COMMAND = 'npx vitest run test/reliability/fuzz.test.ts';
/** A case that takes longer than this hangs. */
const CASE_TIMEOUT_MS = 60_000;

// ---------------------------------------------------------------- valid inputs, then damage

const DAY_MS = 86_400_000;
const isoDay = (day: number): string => new Date(Date.UTC(2004, 0, 1) + day * DAY_MS).toISOString().slice(0, 10);

/** A valid rating file: movie blocks of canonical lines, small ids so that repeats (duplicates) happen. */
const ratingFile = fc
  .record({
    blocks: fc.array(
      fc.record({
        movie: fc.integer({min: 1, max: 30}),
        ratings: fc.array(fc.tuple(fc.integer({min: 1, max: 40}), fc.integer({min: 1, max: 5}), fc.integer({min: 0, max: 730})), {maxLength: 12}),
      }),
      {minLength: 1, maxLength: 6},
    ),
    finalNewline: fc.boolean(),
  })
  .map(({blocks, finalNewline}) => {
    const text = blocks.map((b) => [`${b.movie}:`, ...b.ratings.map(([c, r, d]) => `${c},${r},${isoDay(d)}`)].join('\n')).join('\n');
    return Buffer.from(finalNewline ? `${text}\n` : text, 'latin1');
  });

/** A valid titles file, Latin-1 (as the official one) or UTF-8: commas, quotes and accents in titles, NULL and empty years. */
const titlesFile = fc
  .record({
    lines: fc.array(
      fc.record({
        movie: fc.integer({min: 1, max: 35}),
        year: fc.oneof(fc.integer({min: 1890, max: 2005}).map(String), fc.constantFrom('NULL', '')),
        title: fc.string({unit: fc.constantFrom(...'abc XYZ,"\'!é—ñ'.split('')), maxLength: 20}),
      }),
      {maxLength: 10},
    ),
    utf8: fc.boolean(),
  })
  .map(({lines, utf8}) => Buffer.from(lines.map((l) => `${l.movie},${l.year},${l.title}\n`).join(''), utf8 ? 'utf8' : 'latin1'));

/** Bytes worth inserting: anything, NULs, non-UTF-8 bytes, and the bytes the grammar turns on. */
const insertedBytes = fc.oneof(
  fc.uint8Array({minLength: 1, maxLength: 16}),
  fc.uint8Array({minLength: 1, maxLength: 8, min: 0x80, max: 0xff}),
  fc.constantFrom(...['\0', '\0\0\0', '\r', '\n', '\r\n', '\n\n', ':', ',', ' ', '\t', '-', '9999999999', '0', '\xff\xfe', '\xc3\x28', '1:\n', '2147483648:\n'].map((s) => Buffer.from(s, 'latin1'))),
);

const position = fc.nat();
const mutation = fc.oneof(
  fc.record({kind: fc.constant('flip' as const), at: position, byte: fc.integer({min: 0, max: 255})}),
  fc.record({kind: fc.constant('insert' as const), at: position, bytes: insertedBytes}),
  fc.record({kind: fc.constant('delete' as const), at: position, length: fc.integer({min: 1, max: 40})}),
  fc.record({kind: fc.constant('truncate' as const), at: position}),
  fc.record({kind: fc.constant('splice' as const), at: position, other: fc.oneof(ratingFile, titlesFile), from: position}),
  fc.record({kind: fc.constant('line-ends' as const), ends: fc.array(fc.constantFrom('\n', '\r\n', '\r', '\r\r\n', '\n\r', ' \n', '\t\r\n'), {minLength: 1, maxLength: 6})}),
  fc.record({kind: fc.constant('repeat-line' as const), at: position, times: fc.integer({min: 1, max: 3})}),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(bytes: Buffer, m: Mutation): Buffer {
  const at = 'at' in m ? m.at % (bytes.length + 1) : 0;
  switch (m.kind) {
    case 'flip':
      return at < bytes.length ? Buffer.concat([bytes.subarray(0, at), Buffer.from([m.byte]), bytes.subarray(at + 1)]) : bytes;
    case 'insert':
      return Buffer.concat([bytes.subarray(0, at), m.bytes, bytes.subarray(at)]);
    case 'delete':
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + m.length)]);
    case 'truncate':
      return bytes.subarray(0, at);
    case 'splice':
      return Buffer.concat([bytes.subarray(0, at), m.other.subarray(m.from % (m.other.length + 1))]);
    case 'line-ends': {
      const lines = bytes.toString('latin1').split('\n');
      return Buffer.from(lines.map((line, i) => (i < lines.length - 1 ? line + m.ends[i % m.ends.length] : line)).join(''), 'latin1');
    }
    case 'repeat-line': {
      const lines = bytes.toString('latin1').split('\n');
      const i = at % lines.length;
      lines.splice(i, 0, ...Array<string>(m.times).fill(lines[i]));
      return Buffer.from(lines.join('\n'), 'latin1');
    }
  }
}

const damaged = (file: fc.Arbitrary<Buffer>) =>
  fc.tuple(file, fc.array(mutation, {maxLength: 4})).map(([bytes, mutations]) => mutations.reduce(mutate, bytes));

/** One to three rating files (training_set layout now and then) and maybe a titles file, each damaged or not. */
const dataSet = fc
  .record({
    ratings: fc.array(damaged(ratingFile), {minLength: 1, maxLength: 3}),
    trainingSet: fc.boolean(),
    titles: fc.option(damaged(titlesFile), {nil: undefined}),
  })
  .map(({ratings, trainingSet, titles}) => ({
    ratings: ratings.map((bytes, i): InputBytes => ({path: trainingSet ? `training_set/mv_000000${i + 1}.txt` : `combined_data_${i + 1}.txt`, bytes})),
    titles: titles && {path: 'movie_titles.csv', bytes: titles},
  }));
type DataSet = typeof dataSet extends fc.Arbitrary<infer D> ? D : never;

// ---------------------------------------------------------------- checks against the contract

/** SPEC 1.3: rejects of rating lines, duplicates aside, over the non-blank rating lines. */
function rejectRate(model: ModelDataSet, ratingFiles: number): number {
  const files = model.files.slice(0, ratingFiles);
  const nonBlank = files.reduce((sum, f) => sum + f.lines - f.blankLines, 0);
  const rejected = files.reduce((sum, f) => sum + f.rejects.filter((r) => r.reason !== 'duplicate').length, 0);
  return nonBlank === 0 ? 0 : rejected / nonBlank;
}

/** What the run must end with: 2 for a titles file holding a NUL byte, else 3 above the reject rate, else 0. */
function expectedExit(data: DataSet, model: ModelDataSet, maxRejectRate: number): 0 | 2 | 3 {
  if (data.titles?.bytes.includes(0)) return 2;
  return rejectRate(model, data.ratings.length) > maxRejectRate ? 3 : 0;
}

const files = (data: DataSet): Record<string, Buffer> => Object.fromEntries([...data.ratings, ...(data.titles ? [data.titles] : [])].map((f) => [f.path, f.bytes]));

/**
 * Checks the stored tables of `db` against the model; returns the lines that went missing from the accounting
 * (0 when it held). The accounting is asserted first, from the stored tables alone, then rejects, facts and movies.
 */
async function expectContractKept(db: string, model: ModelDataSet): Promise<number> {
  const stored = await queryDuckDB(
    db,
    `SELECT s.path, s.lines, s.blank_lines, s.headers, s.accepted, s.rejected, (SELECT count(*) FROM rejects AS r WHERE r.source_file = s.path) AS reject_rows
     FROM source_file AS s ORDER BY s.path`,
  );
  expect(stored.map((s) => s.path)).toEqual(model.files.map((f) => f.path).sort());
  let lost = 0;
  for (const file of model.files) {
    const row = stored.find((s) => s.path === file.path)!;
    const nonBlank = file.lines - file.blankLines;
    const accountedFor = Number(row.headers) + Number(row.accepted) + Number(row.reject_rows);
    lost += Math.abs(nonBlank - accountedFor);
    expect({path: file.path, lines: row.lines, blankLines: row.blank_lines, accountedFor, rejected: row.rejected}).toEqual({
      path: file.path,
      lines: file.lines,
      blankLines: file.blankLines,
      accountedFor: nonBlank,
      rejected: row.reject_rows,
    });
    expect({path: file.path, headers: row.headers, accepted: row.accepted}).toEqual({path: file.path, headers: file.headers, accepted: file.accepted});
  }
  const ratingAccepted = stored.filter((s) => !String(s.path).startsWith('movie_titles.')).reduce((sum, s) => sum + Number(s.accepted), 0);
  const [{n: factRows}] = await queryDuckDB(db, 'SELECT count(*) AS n FROM fact_ratings');
  expect(factRows).toBe(ratingAccepted);

  const rejects = await queryDuckDB(db, 'SELECT source_file, line_number, reason, raw_line FROM rejects ORDER BY source_file, line_number');
  for (const file of model.files) {
    const storedRejects = rejects.filter((r) => r.source_file === file.path).map((r) => ({lineNumber: r.line_number, reason: r.reason, rawLine: r.raw_line}));
    expect(storedRejects, file.path).toEqual(file.rejects);
  }
  expect(await facts({query: (sql: string) => queryDuckDB(db, sql)} as Transformed)).toEqual(model.facts);
  const movies = await queryDuckDB(db, 'SELECT movie_id, title, release_year FROM dim_movie ORDER BY movie_id');
  expect(movies.map((m) => [m.movie_id, m.title, m.release_year])).toEqual(model.movies);
  return lost;
}

/** A place for one case's database, removed with the case (hundreds of cases run within one test). */
function caseDir(): {dir: string; db: string; remove(): void} {
  const dir = join(tempDir('nfx-fuzz-db-'), 'out');
  mkdirSync(dir);
  return {dir, db: join(dir, 'netflix.duckdb'), remove: () => rmSync(join(dir, '..'), {recursive: true, force: true})};
}

/** After a refused run: no database and no temporary file of it. */
function expectNothingWritten(dir: string): void {
  expect(readdirSync(dir)).toEqual([]);
}

interface Tally {
  tried: number;
  survived: number;
  rowsLost: number;
  exits: Record<string, number>;
}
const tally = (): Tally => ({tried: 0, survived: 0, rowsLost: 0, exits: {}});
const exitsText = (t: Tally): string => Object.entries(t.exits).map(([code, n]) => `exit ${code}: ${n}`).join(', ');

/** Runs the transform in-process on `data`, checks the outcome against `model`; returns the exit code it amounts to. */
async function transformInProcess(data: Record<string, Buffer>, model: ModelDataSet, expected: 0 | 2 | 3, message?: RegExp): Promise<{code: number; lost: number}> {
  const dataDir = writeDataset(data);
  const out = caseDir();
  try {
    const outcome = await runTransform({dataDir, db: out.db, threads: 1, maxRejectRate: 1}).then(
      () => null,
      (err: unknown) => err,
    );
    if (outcome === null) {
      expect(expected).toBe(0);
      return {code: 0, lost: await expectContractKept(out.db, model)};
    }
    // a failure must be the user's (exit 2 or 3) and say what it is, never a bug (exit 1)
    if (!isUserError(outcome)) throw outcome;
    expect(outcome.message).toMatch(message ?? /./);
    expect(outcome.message).not.toContain('\n');
    expect(outcome.exitCode).toBe(expected);
    expectNothingWritten(out.dir);
    return {code: outcome.exitCode, lost: 0};
  } finally {
    out.remove();
    rmSync(dataDir, {recursive: true, force: true});
  }
}

const NUL_TITLES = /movie_titles\.csv is not a text file \(a NUL byte on line \d+\)/;

/** Runs the byte parser alone over `bytes`, fed in chunks cut at `cuts`: its counts, rejects and rows. */
function parseInChunks(bytes: Buffer, cuts: number[]) {
  const rows: {lineNumber: number; fact: [number, number, number, string]}[] = [];
  const rejects: {lineNumber: number; reason: string; rawLine: string}[] = [];
  const parser = new RatingFileParser(
    {
      ratings(batch) {
        for (let i = 0; i < batch.length; i++) {
          const key = batch.dateKey[i]; // YYYYMMDD
          const date = `${String(Math.floor(key / 10000)).padStart(4, '0')}-${String(Math.floor(key / 100) % 100).padStart(2, '0')}-${String(key % 100).padStart(2, '0')}`;
          rows.push({lineNumber: batch.lineRef[2 * i], fact: [batch.movieId[i], batch.customerId[i], batch.rating[i], date]});
        }
        return new RatingBatch();
      },
      reject: (lineNumber, reason, rawLine) => rejects.push({lineNumber, reason, rawLine}),
    },
    0,
  );
  let from = 0;
  for (const to of [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b).concat(bytes.length)) {
    if (to > from) parser.push(bytes.subarray(from, to));
    from = Math.max(from, to);
  }
  return {counts: parser.end(), rows, rejects};
}

describe('fuzzed rating and title files', () => {
  it('are parsed, in chunks cut anywhere, to exactly the lines, rejects and ratings the contract gives', () => {
    let tried = 0;
    fc.assert(
      fc.property(damaged(ratingFile), fc.array(fc.nat(), {maxLength: 8}), (bytes, cuts) => {
        tried++;
        const [model] = modelDataSet([{path: 'combined_data_1.txt', bytes}]).files;
        const rejects = model.rejects.filter((r) => r.reason !== 'duplicate');
        const parsed = parseInChunks(bytes, cuts);
        expect(parsed.counts).toEqual({lines: model.lines, blankLines: model.blankLines, headers: model.headers, accepted: model.ratingLines.length, rejected: rejects.length});
        expect(parsed.rejects).toEqual(rejects);
        expect(parsed.rows).toEqual(model.ratingLines);
      }),
      {seed: SEED, numRuns: trials(1000)},
    );
    recordFigure({
      id: 'fuzz-parser',
      area: 'Bad inputs',
      what: 'damaged rating files through the byte parser alone, fed in chunks cut at random bytes',
      tried,
      survived: tried,
      rowsLost: 0,
      detail: `seed ${SEED}; counts, every reject and every accepted line equal the contract model`,
      command: COMMAND,
    });
  });

  it('account for every line, in-process: each is a header, a fact row, a dropped duplicate or a reject', {timeout: 600_000}, async () => {
    const started = Date.now();
    const seen = tally();
    await fc.assert(
      fc.asyncProperty(dataSet, async (data) => {
        seen.tried++;
        const model = modelDataSet(data.ratings, data.titles);
        const expected = expectedExit(data, model, 1);
        const {code, lost} = await transformInProcess(files(data), model, expected, expected === 2 ? NUL_TITLES : undefined);
        seen.exits[code] = (seen.exits[code] ?? 0) + 1;
        seen.rowsLost += lost;
        seen.survived++;
      }),
      {seed: SEED, numRuns: trials(30), plugins: [fc.timeout(CASE_TIMEOUT_MS), fc.interruptAfterTimeLimit(480_000)]},
    );
    recordFigure({
      id: 'fuzz-in-process',
      area: 'Bad inputs',
      what: 'damaged rating + title files, transformed in-process, checked line by line against the contract',
      tried: seen.tried,
      survived: seen.survived,
      rowsLost: seen.rowsLost,
      detail: `seed ${SEED}; ${exitsText(seen)}; ${((Date.now() - started) / 1000).toFixed(0)} s`,
      command: COMMAND,
    });
  });

  it('survive lines of one to five megabytes', {timeout: 300_000}, async () => {
    const seen = tally();
    const hugeLine = fc.record({
      at: position,
      size: fc.integer({min: 1 << 20, max: 5 << 20}),
      // no LF in the pattern: one line, not millions
      pattern: fc.uint8Array({minLength: 1, maxLength: 8}).map((p) => Buffer.from(p.map((b) => (b === 10 ? 0x39 : b)))),
      prefix: fc.constantFrom('', '1,', '5,3,', '12'),
    });
    await fc.assert(
      fc.asyncProperty(ratingFile, ratingFile, hugeLine, async (first, second, huge) => {
        seen.tried++;
        const lines = first.toString('latin1').split('\n');
        const line = Buffer.concat([Buffer.from(huge.prefix), Buffer.alloc(huge.size, huge.pattern)]);
        const at = huge.at % (lines.length + 1);
        const bytes = Buffer.concat([Buffer.from(lines.slice(0, at).map((l) => `${l}\n`).join(''), 'latin1'), line, Buffer.from(`\n${lines.slice(at).join('\n')}`, 'latin1')]);
        const data = [
          {path: 'combined_data_1.txt', bytes},
          {path: 'combined_data_2.txt', bytes: second},
        ];
        const model = modelDataSet(data);
        const {code, lost} = await transformInProcess(Object.fromEntries(data.map((f) => [f.path, f.bytes])), model, 0);
        seen.exits[code] = (seen.exits[code] ?? 0) + 1;
        seen.rowsLost += lost;
        seen.survived++;
      }),
      {seed: SEED, numRuns: trials(3), plugins: [fc.timeout(CASE_TIMEOUT_MS)]},
    );
    recordFigure({
      id: 'fuzz-huge-lines',
      area: 'Bad inputs',
      what: 'a 1-5 MB line of random bytes in a rating file',
      tried: seen.tried,
      survived: seen.survived,
      rowsLost: seen.rowsLost,
      detail: `seed ${SEED}`,
      command: COMMAND,
    });
  });

  it('exit 0, or 3 exactly above --max-reject-rate, or 2 for a NUL in the titles, through the CLI, never a crash or hang', {timeout: 600_000}, async () => {
    const seen = tally();
    await fc.assert(
      fc.asyncProperty(dataSet, fc.constantFrom(1, 0.01, 0.2), async (data, maxRejectRate) => {
        seen.tried++;
        const model = modelDataSet(data.ratings, data.titles);
        const expected = expectedExit(data, model, maxRejectRate);
        const out = caseDir();
        try {
          const result = await runNfx(['transform', '--data', writeDataset(files(data)), '--db', out.db, '--max-reject-rate', String(maxRejectRate), '--json'], {
            onSpawn: (child) => {
              const timer = setTimeout(() => child.kill('SIGKILL'), CASE_TIMEOUT_MS);
              child.on('close', () => clearTimeout(timer));
            },
          });
          expect(result.signal, 'hung, killed').toBeNull();
          expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
          expect(result.code, result.stderr).toBe(expected);
          seen.exits[expected] = (seen.exits[expected] ?? 0) + 1;
          if (expected === 0) {
            expect(result.json<{tables: {fact_ratings: number}}>().tables.fact_ratings).toBe(model.facts.length);
            seen.rowsLost += await expectContractKept(out.db, model);
          } else {
            expect(result.json<{error: {exitCode: number}}>().error.exitCode).toBe(expected);
            expect(result.stderr.trim().split('\n').filter((l) => l.startsWith('nfx: error:'))).toHaveLength(1);
            if (expected === 2) expect(result.stderr).toMatch(NUL_TITLES);
            expectNothingWritten(out.dir);
          }
          seen.survived++;
        } finally {
          out.remove();
        }
      }),
      {seed: SEED, numRuns: trials(12), plugins: [fc.timeout(CASE_TIMEOUT_MS + 10_000)]},
    );
    recordFigure({
      id: 'fuzz-cli',
      area: 'Bad inputs',
      what: 'damaged rating + title files through the built CLI, --max-reject-rate 1, 0.2 or 0.01',
      tried: seen.tried,
      survived: seen.survived,
      rowsLost: seen.rowsLost,
      detail: `seed ${SEED}; ${exitsText(seen)}`,
      command: COMMAND,
    });
  });
});

describe('fuzzed .gz rating files', () => {
  /** A .gz damaged at random: truncated anywhere, or one to three bytes overwritten. */
  const damagedGzip = fc.tuple(ratingFile, fc.oneof(fc.record({truncateAt: position}), fc.record({overwrite: fc.array(fc.tuple(position, fc.integer({min: 0, max: 255})), {minLength: 1, maxLength: 3})})));
  const damage = ([plain, how]: [Buffer, {truncateAt: number} | {overwrite: [number, number][]}]): {plain: Buffer; gz: Buffer} => {
    const gz = Buffer.from(gzipSync(plain));
    if ('truncateAt' in how) return {plain, gz: gz.subarray(0, how.truncateAt % gz.length)};
    for (const [at, byte] of how.overwrite) gz[at % gz.length] = byte;
    return {plain, gz};
  };
  /** What zlib itself makes of the bytes: the content, or null when it is not a whole gzip stream. */
  const gunzipped = (gz: Buffer): Buffer | null => {
    try {
      return gunzipSync(gz);
    } catch {
      return null;
    }
  };
  const NOT_GZIP = /combined_data_1\.txt\.gz is not a valid gzip file \(.+\); re-download or re-compress it/;

  it('are refused with exit 2 and nothing written when damaged, and loaded whole when zlib reads them, in-process', {timeout: 300_000}, async () => {
    const seen = tally();
    await fc.assert(
      fc.asyncProperty(damagedGzip.map(damage), async ({gz}) => {
        seen.tried++;
        const content = gunzipped(gz);
        const model = modelDataSet([{path: 'combined_data_1.txt.gz', bytes: content ?? Buffer.alloc(0)}]);
        const {code, lost} = await transformInProcess({'combined_data_1.txt.gz': gz}, model, content === null ? 2 : 0, NOT_GZIP);
        seen.exits[code] = (seen.exits[code] ?? 0) + 1;
        seen.rowsLost += lost;
        seen.survived++;
      }),
      {seed: SEED, numRuns: trials(24), plugins: [fc.timeout(CASE_TIMEOUT_MS)]},
    );
    // damage in the header's time stamp or OS byte leaves a readable file; nearly everything else is refused
    expect(seen.exits[2]).toBeGreaterThan(seen.tried / 2);
    recordFigure({
      id: 'fuzz-gzip-in-process',
      area: 'Bad inputs',
      what: '.gz rating files truncated at any byte or with bytes overwritten, in-process',
      tried: seen.tried,
      survived: seen.survived,
      rowsLost: seen.rowsLost,
      detail: `seed ${SEED}; ${exitsText(seen)}`,
      command: COMMAND,
    });
  });

  it('are refused by the CLI with exit 2, one line, and the previous database untouched', {timeout: 300_000}, async () => {
    const seen = tally();
    const out = caseDir();
    const previous = await runNfx(['transform', '--data', writeDataset({'combined_data_1.txt': '1:\n5,3,2005-01-01\n'}), '--db', out.db, '--quiet']);
    expect(previous.code).toBe(0);
    const before = await queryDuckDB(out.db, 'SELECT run_id FROM etl_run');
    await fc.assert(
      fc.asyncProperty(
        damagedGzip.map(damage).filter(({gz}) => gunzipped(gz) === null),
        async ({gz}) => {
          seen.tried++;
          const result = await runNfx(['transform', '--data', writeDataset({'combined_data_1.txt.gz': gz}), '--db', out.db, '--quiet']);
          expect(result.code, result.stderr).toBe(2);
          expect(result.stderr).toMatch(new RegExp(`^nfx: error: ${NOT_GZIP.source}\n$`));
          expect(readdirSync(out.dir)).toEqual(['netflix.duckdb']);
          expect(await queryDuckDB(out.db, 'SELECT run_id FROM etl_run')).toEqual(before);
          seen.survived++;
        },
      ),
      {seed: SEED, numRuns: trials(6), plugins: [fc.timeout(CASE_TIMEOUT_MS)]},
    );
    recordFigure({
      id: 'fuzz-gzip-cli',
      area: 'Bad inputs',
      what: 'damaged .gz rating files through the built CLI over an existing warehouse',
      tried: seen.tried,
      survived: seen.survived,
      rowsLost: 0,
      detail: `seed ${SEED}; every case exit 2, previous warehouse unchanged`,
      command: COMMAND,
    });
  });
});
