import {once} from 'node:events';
import {finished} from 'node:stream/promises';
import type {DuckDBConnection, DuckDBDataChunk} from '@duckdb/node-api';
import type pg from 'pg';
import {from as copyFrom} from 'pg-copy-streams';
import {BinaryCopyEncoder, BufferPool} from './binary-copy.js';
import {chunkDone} from './chunk-release.js';
import type {ExportColumn} from './tables.js';

export interface CopyStreamOptions {
  /** The DuckDB connection to stream from; it runs nothing else meanwhile. */
  duckdb: DuckDBConnection;
  /** SELECT of exactly `columns`, in order. */
  select: string;
  columns: readonly ExportColumn[];
  client: pg.Client;
  /** `COPY <table> (<columns>) FROM STDIN (FORMAT binary[, FREEZE])`. */
  copy: string;
  /** Aborting it stops the COPY (CopyFail: the server discards the rows). */
  signal?: AbortSignal;
  /** Called after each chunk with the rows sent so far. */
  onRows?: (rows: number) => void;
}

export interface CopyStreamResult {
  rows: number;
  bytes: number;
}

/** DuckDB chunk fetches kept in flight per stream. */
const PREFETCH = 2;

/** Bytes the COPY stream may hold before write() asks us to wait: a few buffers in flight, memory stays flat. */
const COPY_HIGH_WATER_MARK = 4 << 20;

/**
 * Streams a DuckDB query into a PostgreSQL COPY FROM STDIN (FORMAT binary). DuckDB's next chunk is fetched while
 * the current one is encoded; buffers go to the server as they fill, waiting for 'drain' when the connection is
 * behind, so memory does not grow with the table. Resolves after the server acknowledged the COPY; on any
 * failure the COPY is aborted (CopyFail) and the error is thrown.
 */
export async function copyStream(options: CopyStreamOptions): Promise<CopyStreamResult> {
  const stream = options.client.query(copyFrom(options.copy, {highWaterMark: COPY_HIGH_WATER_MARK}));
  // the server's error (constraint, terminated backend, ...) may come at any time; it is kept and thrown at the
  // next write. (Not a long-lived promise raced at every await: each race would keep its chunk alive.)
  let serverError: Error | undefined;
  stream.on('error', (err: Error) => (serverError ??= err));
  const stop = (): void => void stream.destroy(new Error('COPY stopped: another stream of the export failed'));
  if (options.signal?.aborted) stop();
  options.signal?.addEventListener('abort', stop, {once: true});
  const pool = new BufferPool();
  const encoder = new BinaryCopyEncoder(options.columns, pool);
  const send = async (): Promise<void> => {
    for (const buffer of encoder.take()) {
      if (serverError) throw serverError;
      // the callback comes once the socket has written the buffer out (pg-copy-streams waits for the socket's
      // 'drain' whenever a write is larger than its 16 kB high-water mark), so the buffer can be refilled then;
      // should that ever change, the reconciliation's checksums would catch the damage
      const written = stream.write(buffer, () => pool.give(buffer));
      // once() rejects when 'error' comes first
      if (!written) await once(stream, 'drain');
    }
  };
  let pending: Promise<DuckDBDataChunk | null>[] = [];
  try {
    const result = await options.duckdb.stream(options.select);
    const fetch = (): Promise<DuckDBDataChunk | null> => {
      const next = result.fetchChunk();
      next.catch(() => undefined);
      return next;
    };
    // PREFETCH fetches in flight: each one's latency (a trip through the thread pool) hides behind the others
    // and behind encoding. They may complete in any order, which only changes row order in the COPY. The
    // stream is over once any fetch comes back empty, but the other fetches in flight may still hold rows.
    pending = Array.from({length: PREFETCH}, fetch);
    let ended = false;
    while (pending.length > 0) {
      const chunk = await pending.shift()!;
      if (!chunk || chunk.rowCount === 0) {
        ended = true;
        continue;
      }
      if (!ended) pending.push(fetch());
      encoder.encode(chunk);
      chunkDone();
      await send();
      options.onRows?.(encoder.rows);
    }
    encoder.end();
    await send();
    if (serverError) throw serverError;
    stream.end();
    await finished(stream);
    return {rows: encoder.rows, bytes: encoder.bytes};
  } catch (err) {
    // no fetch may still be running when the caller closes the DuckDB connection
    await Promise.allSettled(pending);
    if (!serverError && !stream.destroyed) {
      // CopyFail, then wait for the server's answer so the connection is free for the next statement
      stream.destroy(err as Error);
      await finished(stream).catch(() => undefined);
    }
    throw err;
  } finally {
    options.signal?.removeEventListener('abort', stop);
  }
}
