/**
 * Cleanup that follows the scope it was asked for in: called inside a test (or its beforeEach), `fn`
 * runs when that test finishes, pass or fail; called in beforeAll or at the top of a file, it runs
 * after the file's last test.
 */
import { afterAll, onTestFinished, TestRunner } from 'vitest';

type Cleanup = () => unknown;

const afterFile: Cleanup[] = [];

// Registered when a test file first imports this module (vitest isolates modules per file).
afterAll(async () => {
  for (const fn of afterFile.splice(0).reverse()) await fn();
});

export function registerCleanup(fn: Cleanup): void {
  if (TestRunner.getCurrentTest()) onTestFinished(async () => void (await fn()));
  else afterFile.push(fn);
}
