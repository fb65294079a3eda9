import {mkdir, readdir, rm, rmdir, stat} from 'node:fs/promises';
import {join} from 'node:path';
import {fsErrorToUser, UserError} from '../errors.js';

/** Names `nfx generate` writes; --force removes only these, never anything else in the directory. */
const GENERATED_TOP = /^(combined_data_\d+\.txt(\.gz)?|movie_titles\.(csv|txt)|expected\.json)$/;
const GENERATED_TRAINING = /^mv_\d{7}\.txt(\.gz)?$/;

/** Creates --out, or empties it of a previous generated data set when --force is given; true when it created --out. */
export async function prepareOutputDir(out: string, force: boolean): Promise<boolean> {
  try {
    const info = await stat(out).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    });
    if (info && !info.isDirectory()) throw new UserError(`--out ${out} is a file; give a directory`);
    const entries = info ? await readdir(out) : [];
    if (entries.length > 0 && !force) {
      throw new UserError(`--out ${out} is not empty; choose another directory or pass --force to replace the generated files in it`);
    }
    await removeGeneratedFiles(out, entries);
    await mkdir(out, {recursive: true});
    return !info;
  } catch (err) {
    throw fsErrorToUser(err, `--out ${out}`);
  }
}

/** Removes the files generate writes from `out` (never anything else); `entries` are out's names. */
async function removeGeneratedFiles(out: string, entries: string[]): Promise<void> {
  for (const name of entries) {
    if (GENERATED_TOP.test(name)) await rm(join(out, name), {force: true});
  }
  if (entries.includes('training_set')) {
    const dir = join(out, 'training_set');
    for (const name of await readdir(dir)) if (GENERATED_TRAINING.test(name)) await rm(join(dir, name), {force: true});
  }
}

/**
 * After a failed generate: removes what it wrote, and the directories it made when they are left empty
 * (best effort: the failure is what the user hears about).
 */
export async function removePartialDataSet(out: string, createdOut: boolean): Promise<void> {
  try {
    await removeGeneratedFiles(out, await readdir(out));
    await rmdir(join(out, 'training_set')).catch(() => undefined);
    if (createdOut) await rmdir(out).catch(() => undefined);
  } catch {
    // nothing more to remove
  }
}
