import {mkdir, readdir, rm, stat} from 'node:fs/promises';
import {join} from 'node:path';
import {fsErrorToUser, UserError} from '../errors.js';

/** Names `nfx generate` writes; --force removes only these, never anything else in the directory. */
const GENERATED_TOP = /^(combined_data_\d+\.txt(\.gz)?|movie_titles\.(csv|txt)|expected\.json)$/;
const GENERATED_TRAINING = /^mv_\d{7}\.txt(\.gz)?$/;

/** Creates --out, or empties it of a previous generated data set when --force is given. */
export async function prepareOutputDir(out: string, force: boolean): Promise<void> {
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
    for (const name of entries) {
      if (GENERATED_TOP.test(name)) await rm(join(out, name), {force: true});
    }
    if (entries.includes('training_set')) {
      const dir = join(out, 'training_set');
      for (const name of await readdir(dir)) if (GENERATED_TRAINING.test(name)) await rm(join(dir, name), {force: true});
    }
    await mkdir(out, {recursive: true});
  } catch (err) {
    throw fsErrorToUser(err, `--out ${out}`);
  }
}
