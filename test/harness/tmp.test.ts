import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { tempDir } from '../helpers/tmp.js';

describe('tempDir()', () => {
  let madeInTest = '';
  let madeInBeforeAll = '';

  beforeAll(() => {
    madeInBeforeAll = tempDir();
  });

  test('makes an empty, writable directory', () => {
    madeInTest = tempDir();
    writeFileSync(join(madeInTest, 'nfx.duckdb'), 'x');
    expect(existsSync(join(madeInTest, 'nfx.duckdb'))).toBe(true);
  });

  test('removes it, contents included, when the test that made it has finished', () => {
    expect(madeInTest).not.toBe('');
    expect(existsSync(madeInTest)).toBe(false);
  });

  test('keeps a directory made in beforeAll for the whole file', () => {
    expect(existsSync(madeInBeforeAll)).toBe(true);
  });
});
