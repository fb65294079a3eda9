import {readdir, stat} from 'node:fs/promises';
import {join} from 'node:path';
import {UserError} from '../errors.js';
import type {PairKind} from './parse-pairs.js';

export type RatingLayout = 'combined' | 'training-set';

export interface InputFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the data directory, with forward slashes: how the file is named in rejects and lineage. */
  relPath: string;
  bytes: number;
  gzip: boolean;
  /** Its modification time when found (fs.Stats.mtimeMs), kept with its movie blocks (nfx_movie_block). */
  mtimeMs?: number;
}

/** gzip packs the Netflix formats about 4x (measured on the rating files). */
const GZIP_RATIO = 4;

/** The files' bytes as uncompressed text, gzip files estimated at GZIP_RATIO times their size. */
export function uncompressedBytes(files: readonly InputFile[]): number {
  return files.reduce((sum, f) => sum + f.bytes * (f.gzip ? GZIP_RATIO : 1), 0);
}

export interface RatingInput extends InputFile {
  layout: RatingLayout;
}

/** probe.txt or qualifying.txt (plain or .gz): (movie, customer) pairs in the rating files' block layout. */
export interface PairInput extends InputFile {
  kind: PairKind;
  /** An append reads a loaded probe or qualifying file again, to decide its relational rules anew (SPEC 4). */
  reread?: boolean;
}

export interface Inputs {
  dataDir: string;
  ratingFiles: RatingInput[];
  titles: InputFile | null;
  probe: PairInput | null;
  qualifying: PairInput | null;
}

const COMBINED = /^combined_data_[^/]*\.txt(\.gz)?$/;
const TRAINING = /^mv_[^/]*\.txt(\.gz)?$/;
const TITLES = ['movie_titles.csv', 'movie_titles.txt'];

async function fileEntry(dataDir: string, relPath: string): Promise<InputFile> {
  const path = join(dataDir, relPath);
  const info = await stat(path);
  return {path, relPath, bytes: info.size, gzip: relPath.endsWith('.gz'), mtimeMs: info.mtimeMs};
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [];
    if (code === 'ENOTDIR') throw new UserError(`--data ${dir} is not a directory; pass the folder that holds the Netflix Prize files`);
    if (code === 'EACCES') throw new UserError(`cannot read ${dir}: permission denied`);
    throw err;
  }
}

/**
 * Finds the input files of a data directory, in sorted path order (the order the duplicate rule uses).
 * `anyFile`: an append may bring a probe, qualifying or titles file alone; a full transform needs ratings.
 */
export async function discoverInputs(dataDir: string, anyFile = false): Promise<Inputs> {
  const info = await stat(dataDir).catch(() => null);
  if (info === null) throw new UserError(`data directory not found: ${dataDir} (pass --data with the folder that holds the Netflix Prize files)`);
  if (!info.isDirectory()) throw new UserError(`--data ${dataDir} is not a directory; pass the folder that holds the Netflix Prize files`);

  const top = await listDir(dataDir);
  const relPaths = top.filter((name) => COMBINED.test(name));
  if (top.includes('training_set')) {
    relPaths.push(...(await listDir(join(dataDir, 'training_set'))).filter((name) => TRAINING.test(name)).map((name) => `training_set/${name}`));
  }
  relPaths.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  for (const relPath of relPaths) {
    if (relPath.endsWith('.gz') && relPaths.includes(relPath.slice(0, -3))) {
      throw new UserError(`${dataDir} holds both ${relPath.slice(0, -3)} and ${relPath}; keep one of them so no rating is read twice`);
    }
  }
  if (relPaths.length === 0 && !(anyFile && [...TITLES, 'probe.txt', 'probe.txt.gz', 'qualifying.txt', 'qualifying.txt.gz'].some((name) => top.includes(name)))) {
    throw new UserError(
      `no rating files in ${dataDir}: looked for combined_data_*.txt[.gz] and training_set/mv_*.txt[.gz] (pass --data with the folder that holds them)`,
    );
  }
  const ratingFiles: RatingInput[] = [];
  for (const relPath of relPaths) {
    const entry = await fileEntry(dataDir, relPath);
    ratingFiles.push({...entry, layout: relPath.startsWith('training_set/') ? 'training-set' : 'combined'});
  }
  const titleName = TITLES.find((name) => top.includes(name));
  const titles = titleName ? await fileEntry(dataDir, titleName) : null;
  return {dataDir, ratingFiles, titles, probe: await pairFile(dataDir, top, 'probe'), qualifying: await pairFile(dataDir, top, 'qualifying')};
}

/** probe.txt or probe.txt.gz (likewise qualifying), never both. */
async function pairFile(dataDir: string, top: string[], kind: PairKind): Promise<PairInput | null> {
  const names = [`${kind}.txt`, `${kind}.txt.gz`].filter((name) => top.includes(name));
  if (names.length === 2) throw new UserError(`${dataDir} holds both ${names[0]} and ${names[1]}; keep one of them so no line is read twice`);
  return names.length === 0 ? null : {...(await fileEntry(dataDir, names[0])), kind};
}
