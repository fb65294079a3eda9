import {createHash} from 'node:crypto';
import {createReadStream} from 'node:fs';
import {Transform, type Readable} from 'node:stream';
import {createGunzip} from 'node:zlib';
import {UserError} from '../errors.js';
import type {InputFile} from './discover.js';

const READ_CHUNK = 4 << 20;

export interface ReadResult {
  sha256: string;
  bytes: number;
}

/**
 * Streams a file's uncompressed bytes to `onChunk`, gunzipping `.gz` files on the fly (no temporary
 * file). The sha256 and the byte count are of the file as stored. `onProgress` gets stored bytes read.
 */
export async function readInput(
  file: InputFile,
  onChunk: (chunk: Buffer) => void | Promise<void>,
  onProgress?: (bytesRead: number) => void,
): Promise<ReadResult> {
  const hash = createHash('sha256');
  let bytesRead = 0;
  const raw = createReadStream(file.path, {highWaterMark: READ_CHUNK});
  if (!file.gzip) {
    // plain files: no Transform stream in between, and each chunk hashed right after the parser read it,
    // while it is still in the CPU cache (parse + hash of a 52 MB file: 0.48 s instead of 0.55 s)
    try {
      for await (const chunk of raw) {
        await onChunk(chunk as Buffer);
        hash.update(chunk as Buffer);
        bytesRead += (chunk as Buffer).length;
        onProgress?.(bytesRead);
      }
    } catch (err) {
      raw.destroy();
      throw readError(file, err);
    }
    return {sha256: hash.digest('hex'), bytes: bytesRead};
  }
  // hashes and counts the stored bytes on their way to the parser (or to gunzip)
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytesRead += chunk.length;
      onProgress?.(bytesRead);
      done(null, chunk);
    },
  });
  raw.on('error', (err) => tap.destroy(err));
  let source: Readable = raw.pipe(tap);
  if (file.gzip) {
    const gunzip = createGunzip({chunkSize: READ_CHUNK});
    tap.on('error', (err) => gunzip.destroy(err));
    source = tap.pipe(gunzip);
  }
  try {
    for await (const chunk of source) await onChunk(chunk as Buffer);
  } catch (err) {
    raw.destroy();
    throw readError(file, err);
  }
  return {sha256: hash.digest('hex'), bytes: bytesRead};
}

function readError(file: InputFile, err: unknown): unknown {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'Z_BUF_ERROR' || e?.code === 'Z_DATA_ERROR' || /unexpected end of file|incorrect header check|invalid/i.test(e?.message ?? '')) {
    return new UserError(`${file.relPath} is not a valid gzip file (${e.message}); re-download or re-compress it`);
  }
  if (e?.code === 'EACCES') return new UserError(`cannot read ${file.relPath}: permission denied`);
  if (e?.code === 'EISDIR') return new UserError(`${file.relPath} is a directory, expected a file`);
  if (e?.code === 'ENOENT') return new UserError(`${file.relPath} disappeared while reading`);
  return err;
}
