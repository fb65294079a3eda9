import {mkdir, stat, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {diskFullError, isDiskFull} from '../disk-space.js';
import {fsErrorToUser, type UserError} from '../errors.js';
import {Progress} from '../progress.js';
import {DirtyData} from './dirty.js';
import {ExpectedBuilder} from './expected.js';
import {ratingFilePlans, titlesFileName} from './layout.js';
import type {GenerateOptions, Layout} from './options.js';
import {prepareOutputDir, removePartialDataSet} from './output-dir.js';
import {writePairFiles} from './pair-files.js';
import {PairSampler} from './pairs.js';
import {BlockSampler} from './sampler.js';
import {buildShape} from './shape.js';
import {cleanTitleLines, encodeLatin1, synthesizeTitles} from './titles.js';
import {RatingFileWriter} from './writer.js';

export interface GeneratedFile {
  /** Relative to --out. */
  path: string;
  /** Size on disk (compressed size for .gz). */
  bytes: number;
  lines: number;
}

export interface GenerateResult {
  out: string;
  layout: Layout;
  seed: number;
  ratings: number;
  movies: number;
  customers: number;
  dirty: boolean;
  gzip: boolean;
  files: GeneratedFile[];
  bytes: number;
  seconds: number;
  rowsPerSecond: number;
  /** Path of expected.json: what a correct transform of these files must produce. */
  expected: string;
}

export const EXPECTED_FILE = 'expected.json';

/**
 * Writes a synthetic Netflix Prize data set: the shape is fixed first, then movie blocks are drawn in
 * movie id order and streamed into the layout's files; --dirty adds its lines around chosen blocks.
 */
export async function generateDataSet(options: GenerateOptions): Promise<GenerateResult> {
  const started = performance.now();
  const {out, layout, seed, dirty: isDirty, gzip} = options;
  const createdOut = await prepareOutputDir(out, options.force);

  const shape = buildShape(options);
  const plans = ratingFilePlans(layout, options.movies, gzip);
  const expected = new ExpectedBuilder(options);
  const sampler = new BlockSampler(shape, seed);
  const writer = new RatingFileWriter(shape.customerIds);
  const pairs = new PairSampler(shape.customerIds.length, seed);
  const dirty = isDirty ? new DirtyData(options, shape, plans, expected) : undefined;
  const files: GeneratedFile[] = [];
  const progress = new Progress('generate', options.ratings, 'rows');
  let rowsDone = 0;

  try {
    if (layout === 'training-set') await mkdir(join(out, 'training_set'), {recursive: true});
    for (const [fileIndex, plan] of plans.entries()) {
      await writer.open(join(out, plan.path), gzip);
      expected.beginFile(plan.path);
      await dirty?.fileStart(writer, fileIndex);
      for (let movieId = plan.firstMovie; movieId <= plan.lastMovie; movieId++) {
        const block = sampler.draw(movieId);
        pairs.observe(block, sampler);
        if (dirty) await dirty.header(writer, fileIndex, movieId);
        else await writer.header(movieId);
        const first = dirty ? await dirty.blockStart(writer, fileIndex, block) : 0;
        await writer.rows(block, first, block.count);
        await dirty?.blockEnd(writer, fileIndex, block);
        rowsDone += block.count;
        progress.update(rowsDone, rowsDone);
      }
      await dirty?.fileEnd(writer, fileIndex);
      const written = await writer.close(dirty?.trailingNewline(fileIndex) ?? true);
      expected.endFile(plan.path, writer.counts);
      files.push({path: plan.path, bytes: written, lines: writer.counts.lines});
    }
    files.push(...(await writePairFiles({out, gzip, dirty: isDirty, movies: options.movies, customerIds: shape.customerIds, writer, expected, pairs})));
    await writer.drain();
    progress.finish();
    // a .gz file's size on disk is known once it is closed
    if (gzip) for (const file of files) file.bytes = (await stat(join(out, file.path))).size;

    const titles = synthesizeTitles(options.movies, seed);
    const titleLines = dirty ? dirty.titleLines(titles) : cleanTitleLines(titles);
    const titlesPath = titlesFileName(layout);
    const titleBytes = encodeLatin1(titleLines);
    await writeFile(join(out, titlesPath), titleBytes);
    expected.titlesFile(titlesPath, titleLines);
    files.push({path: titlesPath, bytes: titleBytes.length, lines: titleLines.length});

    const expectedPath = join(out, EXPECTED_FILE);
    await writeFile(expectedPath, `${JSON.stringify(expected.build(sampler.codeCounts), null, 2)}\n`);

    const seconds = (performance.now() - started) / 1000;
    return {
      out,
      layout,
      seed,
      ratings: options.ratings,
      movies: options.movies,
      customers: options.customers,
      dirty: isDirty,
      gzip,
      files,
      bytes: files.reduce((sum, f) => sum + f.bytes, 0),
      seconds: Math.round(seconds * 1000) / 1000,
      rowsPerSecond: Math.round(options.ratings / seconds),
      expected: expectedPath,
    };
  } catch (err) {
    if (!isDiskFull(err)) throw fsErrorToUser(err, `--out ${out}`);
    await writer.abandon();
    await removePartialDataSet(out, createdOut);
    throw generateDiskFull(options);
  }
}

/** Measured: ~20.6 bytes per rating on disk in plain text, ~8 with --gzip (1M ratings). */
const BYTES_PER_RATING = {plain: 20.6, gzip: 8};

function generateDiskFull(options: GenerateOptions): UserError {
  const perRating = options.gzip ? BYTES_PER_RATING.gzip : BYTES_PER_RATING.plain;
  return diskFullError({
    dir: options.out,
    writing: 'the data set',
    needs: {bytes: options.ratings * perRating, basis: `about ${perRating} bytes per rating${options.gzip ? ' gzipped' : ''}`},
    kept: 'The files it wrote are removed.',
    flag: '--out',
  });
}
