import {once} from 'node:events';
import {finished} from 'node:stream/promises';
import type {DuckDBConnection, DuckDBDataChunk} from '@duckdb/node-api';
import type pg from 'pg';
import {from as copyFrom} from 'pg-copy-streams';
import {BinaryCopyEncoder} from './binary-copy.js';
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
  // the server's error (constraint, terminated backend, ...) may come at any await below
  let serverFailed = false;
  const failure = new Promise<never>((_, reject) =>
    stream.once('error', (err) => {
      serverFailed = true;
      reject(err);
    }),
  );
  failure.catch(() => undefined);
  const stop = (): void => void stream.destroy(new Error('COPY stopped: another stream of the export failed'));
  if (options.signal?.aborted) stop();
  options.signal?.addEventListener('abort', stop, {once: true});
  const encoder = new BinaryCopyEncoder(options.columns);
  const send = async (): Promise<void> => {
    for (const buffer of encoder.take()) {
      if (!stream.write(buffer)) await Promise.race([once(stream, 'drain'), failure]);
    }
  };
  try {
    const result = await Promise.race([options.duckdb.stream(options.select), failure]);
    const fetch = (): Promise<DuckDBDataChunk | null> => {
      const next = result.fetchChunk();
      next.catch(() => undefined);
      return next;
    };
    let next = fetch();
    for (;;) {
      const chunk = await Promise.race([next, failure]);
      if (!chunk || chunk.rowCount === 0) break;
      next = fetch();
      encoder.encode(chunk);
      await send();
      options.onRows?.(encoder.rows);
    }
    encoder.end();
    await send();
    stream.end();
    await Promise.race([finished(stream), failure]);
    return {rows: encoder.rows, bytes: encoder.bytes};
  } catch (err) {
    if (!serverFailed && !stream.destroyed) {
      // CopyFail, then wait for the server's answer so the connection is free for the next statement
      stream.destroy(err as Error);
      await finished(stream).catch(() => undefined);
    }
    throw err;
  } finally {
    options.signal?.removeEventListener('abort', stop);
  }
}
