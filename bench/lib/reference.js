/**
 * --compare REF: another commit of nfx, built beside this one, whose transform and export run as contestants
 * of their own in the same rounds (e.g. the commit before a feature, to measure what the feature costs).
 * The build is a detached git worktree under the system temp directory that shares this checkout's
 * node_modules; it is removed when the bench ends.
 */
import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync, symlinkSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

/**
 * @param {{repo: string, ref: string, log: (line: string) => void}} options
 * @returns {{ref: string, commit: string, bin: string, remove(): void}}
 */
export function buildReference({repo, ref, log}) {
  const git = (args, cwd = repo) => execFileSync('git', args, {cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']}).trim();
  let commit;
  try {
    commit = git(['rev-parse', '--short', `${ref}^{commit}`]);
  } catch {
    throw new Error(`--compare ${ref}: not a commit of this repository`);
  }
  const dir = join(mkdtempSync(join(tmpdir(), 'nfx-bench-ref-')), 'nfx');
  log(`building ${ref} (${commit}) in ${dir} for --compare`);
  git(['worktree', 'add', '--detach', dir, commit]);
  const remove = () => {
    try {
      git(['worktree', 'remove', '--force', dir]);
    } catch {
      rmSync(dir, {recursive: true, force: true});
    }
  };
  try {
    symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir');
    execFileSync(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], {cwd: dir, stdio: ['ignore', 'ignore', 'pipe']});
    if (existsSync(join(dir, 'scripts', 'oclif-manifest.mjs'))) execFileSync(process.execPath, ['scripts/oclif-manifest.mjs'], {cwd: dir, stdio: ['ignore', 'ignore', 'pipe']});
  } catch (err) {
    remove();
    throw new Error(`--compare ${ref}: its build failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
  return {ref, commit, bin: join(dir, 'bin', 'run.js'), remove};
}
