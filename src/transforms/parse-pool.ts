import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {Worker} from 'node:worker_threads';
import {UserError} from '../errors.js';
import {PACKAGE_ROOT} from '../sql.js';
import type {InputFile, PairInput} from './discover.js';
import {RatingBatch} from './parse.js';
import type {ParsedFile, RejectRecord} from './parse-file.js';
import type {FromWorker, ToWorker} from './parse-worker.js';

export interface ParseConsumer {
  /** Called on the main thread for every batch, in no particular order across files. */
  batch(batch: RatingBatch, fileId: number): void;
  rejects(fileId: number, records: RejectRecord[]): void;
  /** Stored bytes read so far over all files. */
  progress(bytesRead: number): void;
}

/** The compiled worker; under tsx (bin/dev.js) the TypeScript source next to this file. */
function workerEntry(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return join(here, '..', 'parse-worker.js');
  const compiled = join(PACKAGE_ROOT, 'dist', 'transforms', 'parse-worker.js');
  return existsSync(compiled) ? compiled : join(here, '..', 'parse-worker.ts');
}

/**
 * The parse threads. `start` spawns them at once: a thread takes about 0.1 s to load its modules, which
 * overlaps whatever the caller does next (opening DuckDB) instead of delaying the first batch. So does
 * reading `probe` (probe.txt), whose pairs the threads flag is_probe with as they rank the ratings (rank.ts).
 */
export class ParsePool {
  private readonly workers: Worker[];
  private earlyError: Error | null = null;

  private constructor(threads: number, probe: PairInput | null) {
    this.workers = Array.from({length: Math.max(1, threads)}, () => {
      const worker = new Worker(workerEntry(), {execArgv: process.execArgv});
      // until parse() listens: kept, and reported by parse()
      worker.on('error', (err) => (this.earlyError ??= err));
      if (probe) worker.postMessage({type: 'probe', file: probe} satisfies ToWorker);
      return worker;
    });
  }

  static start(threads: number, probe: PairInput | null = null): ParsePool {
    return new ParsePool(threads, probe);
  }

  /** Stops every thread: after a failure, or when parse() is never called. */
  close(): void {
    for (const worker of this.workers) void worker.terminate();
  }

  /**
   * Parses the rating files, handing them out in sorted order as threads come free, while this thread
   * appends what they send. Resolves with one ParsedFile per input, in input order. Call it once.
   * `reread`: the duplicate rule's second read, of the files at positions `only`, sending the ratings of
   * the `suspects` movies alone (or of the `pairs` alone; results are then at those positions).
   * `count`: the threads count the rating files' ratings for the aggregate tables (ParsedFile.aggregateCounts).
   */
  parse(files: (InputFile | PairInput)[], consumer: ParseConsumer, reread?: {only: number[]; suspects: number[]; pairs?: [number, number][]}, count = false): Promise<ParsedFile[]> {
    const order = reread?.only ?? files.map((_, i) => i);
    const results: ParsedFile[] = new Array(files.length);
    const bytesRead = new Float64Array(files.length);
    let totalBytesRead = 0;
    let next = 0;
    let finished = 0;
    const workers = this.workers;

    return new Promise((resolve, reject) => {
      let failed = false;
      const fail = (err: Error): void => {
        if (failed) return;
        failed = true;
        this.close();
        reject(err);
      };
      if (this.earlyError) return fail(this.earlyError);
      // an append whose rating files were all loaded before has none to parse
      if (order.length === 0) {
        this.close();
        return resolve(results);
      }
      const assign = (worker: Worker): void => {
        if (next < order.length) {
          const fileId = order[next++];
          worker.postMessage({type: 'file', fileId, file: files[fileId], suspects: reread?.suspects, pairs: reread?.pairs, count} satisfies ToWorker);
        } else {
          worker.postMessage({type: 'exit'} satisfies ToWorker);
        }
      };
      for (const worker of workers) {
        worker.on('error', fail);
        worker.on('exit', (code) => {
          if (code !== 0 && !failed && finished < order.length) fail(new Error(`parse thread exited with code ${code}`));
        });
        worker.on('message', (message: FromWorker) => {
          if (failed) return;
          try {
            switch (message.type) {
              case 'batch': {
                const batch = new RatingBatch(message.buffer);
                batch.length = message.length;
                consumer.batch(batch, message.fileId);
                worker.postMessage({type: 'return', buffer: message.buffer} satisfies ToWorker, [message.buffer]);
                break;
              }
              case 'rejects':
                consumer.rejects(message.fileId, message.records);
                worker.postMessage({type: 'return'} satisfies ToWorker);
                break;
              case 'progress':
                totalBytesRead += message.bytesRead - bytesRead[message.fileId];
                bytesRead[message.fileId] = message.bytesRead;
                consumer.progress(totalBytesRead);
                break;
              case 'done':
                results[message.parsed.fileId] = message.parsed;
                finished++;
                if (finished === order.length) {
                  for (const w of workers) w.postMessage({type: 'exit'} satisfies ToWorker);
                  resolve(results);
                } else {
                  assign(worker);
                }
                break;
              case 'error':
                fail(message.user ? new UserError(message.message) : new Error(`${files[message.fileId].relPath}: ${message.message}`));
                break;
            }
          } catch (err) {
            fail(err as Error);
          }
        });
        assign(worker);
      }
    });
  }
}
