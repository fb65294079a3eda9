/**
 * Runs the built CLI (`node bin/run.js`) as a user would, in a child process.
 *
 *   const result = await runNfx(['transform', '--data', dir, '--db', db, '--json']);
 *   expect(result.code).toBe(0);
 *   const summary = result.json<TransformSummary>();
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

export const REPO_ROOT = join(fileURLToPath(import.meta.url), '..', '..', '..');
export const NFX_BIN = join(REPO_ROOT, 'bin', 'run.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  json<T = Record<string, unknown>>(): T;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Called with the child right after it starts (to kill it mid-run, for example). */
  onSpawn?: (child: ChildProcess) => void;
}

export function runNfx(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = {...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...options.env};
    for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
    const child = spawn(process.execPath, [NFX_BIN, ...args], {cwd: options.cwd ?? REPO_ROOT, env: env as NodeJS.ProcessEnv});
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    options.onSpawn?.(child);
    child.on('close', (code, signal) =>
      resolve({
        code,
        signal,
        stdout,
        stderr,
        json<T>() {
          return JSON.parse(stdout) as T;
        },
      }),
    );
  });
}
