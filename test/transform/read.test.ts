import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {gzipSync} from 'node:zlib';
import {describe, expect, it} from 'vitest';
import type {InputFile} from '../../src/transforms/discover.js';
import {readInput} from '../../src/transforms/read.js';
import {sha256} from '../helpers/sha256.js';
import {tempDir} from '../helpers/tmp.js';

function inputFile(path: string, bytes: number, gzip = false): InputFile {
  return {path, relPath: path.split('/').pop()!, bytes, gzip};
}

/** Bytes that differ at every offset of a chunk, so a chunk read over by the next read cannot pass for itself. */
function patterned(length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

describe('readInput', () => {
  it('hands over every byte of files larger than its buffers in order, each chunk intact until its consumer is done, with the stored sha256', async () => {
    const dir = tempDir();
    // 2.5 and 1.25 read chunks (4 MiB each): the second file reuses the first one's buffers
    const contents = [patterned((10 << 20) + 12345, 1), patterned((5 << 20) + 7, 2)];
    for (const [i, content] of contents.entries()) {
      const path = join(dir, `f${i}.txt`);
      writeFileSync(path, content);
      let offset = 0;
      let chunks = 0;
      const result = await readInput(inputFile(path, content.length), async (chunk) => {
        const copy = Buffer.from(chunk);
        // the next chunk is being read meanwhile: this one must not change under its consumer
        await new Promise((resolve) => setTimeout(resolve, 5));
        expect(chunk.equals(copy)).toBe(true);
        expect(chunk.equals(content.subarray(offset, offset + chunk.length))).toBe(true);
        offset += chunk.length;
        chunks++;
      });
      expect(offset).toBe(content.length);
      expect(chunks).toBe(Math.ceil(content.length / (4 << 20)));
      expect(result).toEqual({sha256: sha256(path), bytes: content.length});
    }
  });

  it('gunzips .gz files and reports the stored (compressed) size and hash', async () => {
    const dir = tempDir();
    const content = patterned(3 << 20, 3);
    const path = join(dir, 'f.txt.gz');
    const stored = gzipSync(content);
    writeFileSync(path, stored);
    const parts: Buffer[] = [];
    const result = await readInput(inputFile(path, stored.length, true), (chunk) => {
      parts.push(Buffer.from(chunk));
    });
    expect(Buffer.concat(parts).equals(content)).toBe(true);
    expect(result).toEqual({sha256: sha256(path), bytes: stored.length});
  });

  it('stops at a consumer that throws, and reads the next file correctly afterwards', async () => {
    const dir = tempDir();
    const first = join(dir, 'a.txt');
    writeFileSync(first, patterned(9 << 20, 4));
    await expect(
      readInput(inputFile(first, 9 << 20), () => {
        throw new Error('consumer failed');
      }),
    ).rejects.toThrow('consumer failed');
    const second = join(dir, 'b.txt');
    const content = patterned((4 << 20) + 1, 5);
    writeFileSync(second, content);
    const parts: Buffer[] = [];
    await readInput(inputFile(second, content.length), (chunk) => {
      parts.push(Buffer.from(chunk));
    });
    expect(Buffer.concat(parts).equals(content)).toBe(true);
  });

  it('turns a directory or a missing file into a one-line error that names it', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub.txt'));
    await expect(readInput(inputFile(join(dir, 'sub.txt'), 0), () => undefined)).rejects.toThrow('sub.txt is a directory, expected a file');
    await expect(readInput(inputFile(join(dir, 'gone.txt'), 0), () => undefined)).rejects.toThrow('gone.txt disappeared while reading');
  });
});
