/**
 * A parse thread: reads and parses the rating files the main thread hands it, and sends back batches of
 * typed columns (their buffers are transferred, not copied). The main thread appends them to DuckDB and
 * returns the buffers, which is the back-pressure: a worker holds at most MAX_IN_FLIGHT unacknowledged
 * messages, so memory stays flat however fast it parses.
 */
import {parentPort} from 'node:worker_threads';
import {isUserError} from '../errors.js';
import type {InputFile, PairInput} from './discover.js';
import {RatingBatch} from './parse.js';
import {ProbeSet} from './probe-set.js';
import {RunCounts} from './run-counts.js';
import {pairMap, parsePairFile, parseRatingFile, parseSuspectRatings, type ParsedFile, type ParsedFileSink, type RejectRecord} from './parse-file.js';

/**
 * `file`: a rating file, or probe/qualifying (a PairInput, by its kind). `suspects`: read the rating file for
 * the duplicate rule instead, sending only those movies' ratings, unranked; `pairs` ([movie_id, customer_id]):
 * only those pairs' ratings. `count`: count a rating file's ratings for the aggregate tables (RunCounts). `probe`:
 * probe.txt, to read now and flag is_probe with on the rating files' rows.
 */
export type ToWorker =
  | {type: 'file'; fileId: number; file: InputFile | PairInput; suspects?: number[]; pairs?: [number, number][]; count?: boolean}
  | {type: 'probe'; file: PairInput}
  | {type: 'return'; buffer?: ArrayBuffer}
  | {type: 'exit'};

export type FromWorker =
  | {type: 'batch'; fileId: number; buffer: ArrayBuffer; length: number}
  | {type: 'rejects'; fileId: number; records: RejectRecord[]}
  | {type: 'progress'; fileId: number; bytesRead: number}
  | {type: 'done'; parsed: ParsedFile}
  | {type: 'error'; fileId: number; message: string; user: boolean};

const MAX_IN_FLIGHT = 4;

const port = parentPort;
if (!port) throw new Error('parse-worker.js runs as a worker thread');

const freeBuffers: ArrayBuffer[] = [];
let inFlight = 0;
let wake: (() => void) | null = null;

function send(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

let probeSet: Promise<ProbeSet> | undefined;
/** One for all the files this thread counts (see RunCounts). */
let runCounts: RunCounts | undefined;

async function parse({fileId, file, suspects, pairs, count}: Extract<ToWorker, {type: 'file'}>): Promise<void> {
  try {
    const sink: ParsedFileSink = {
      send(batch) {
        inFlight++;
        send({type: 'batch', fileId, buffer: batch.buffer, length: batch.length}, [batch.buffer]);
      },
      emptyBatch() {
        return new RatingBatch(freeBuffers.pop());
      },
      rejects(records) {
        inFlight++;
        send({type: 'rejects', fileId, records});
      },
      ready() {
        return inFlight <= MAX_IN_FLIGHT ? Promise.resolve() : new Promise((resolve) => (wake = resolve));
      },
      progress(bytesRead) {
        send({type: 'progress', fileId, bytesRead});
      },
    };
    const parsed =
      'kind' in file
        ? await parsePairFile(fileId, file, sink)
        : suspects
          ? await parseSuspectRatings(fileId, file, new Set(suspects), sink, pairs && pairMap(pairs))
          : await parseRatingFile(fileId, file, sink, await probeSet, count ? (runCounts ??= new RunCounts()) : undefined);
    send({type: 'done', parsed});
  } catch (err) {
    send({type: 'error', fileId, message: err instanceof Error ? err.message : String(err), user: isUserError(err)});
  }
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'file') {
    void parse(message);
  } else if (message.type === 'probe') {
    probeSet = ProbeSet.read(message.file);
    // a failure is reported by the rating file that awaits it
    probeSet.catch(() => undefined);
  } else if (message.type === 'return') {
    inFlight--;
    if (message.buffer) freeBuffers.push(message.buffer);
    if (wake && inFlight <= MAX_IN_FLIGHT) {
      const resume = wake;
      wake = null;
      resume();
    }
  } else {
    port.close();
  }
});
