import {createWriteStream} from 'node:fs';
import {open, type FileHandle} from 'node:fs/promises';
import {pipeline} from 'node:stream/promises';
import {createGzip, type Gzip} from 'node:zlib';

/** Where the bytes of one file go: the file itself, or a gzip stream into it. */
interface ByteTarget {
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

class FileTarget implements ByteTarget {
  constructor(private readonly handle: FileHandle) {}

  async write(bytes: Uint8Array): Promise<void> {
    let done = 0;
    while (done < bytes.length) done += (await this.handle.write(bytes, done, bytes.length - done)).bytesWritten;
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

class GzipTarget implements ByteTarget {
  private readonly gzip: Gzip = createGzip({level: 1});
  private readonly finished: Promise<void>;

  constructor(path: string) {
    this.finished = pipeline(this.gzip, createWriteStream(path));
    // the error also rejects the next write; this keeps it from being reported as unhandled meanwhile
    this.finished.catch(() => undefined);
  }

  write(bytes: Uint8Array): Promise<void> {
    // the callback fires once zlib has consumed the chunk, so its buffer may then be reused
    const written = new Promise<void>((resolve, reject) => this.gzip.write(bytes, (err) => (err ? reject(err) : resolve())));
    // a failed file (a full disk) ends the pipeline, and a write into it would wait forever: its error rejects the write
    return Promise.race([written, this.finished.then(() => written)]);
  }

  async close(): Promise<void> {
    this.gzip.end();
    await this.finished;
  }
}

/** Size of each of the two output buffers. */
export const SINK_BUFFER_BYTES = 4 << 20;
/** Slack past the last full line: the hot path may store 8 bytes where a 7-digit id ends. */
const SLACK_BYTES = 64;

/**
 * A file written through two large buffers: while one is being written by the OS (or zlib) in the
 * background, the generator fills the other; `flush` waits for the previous write first (backpressure).
 * Bytes are put straight into `bytes` at `pos`, after `room()` says they fit.
 */
export class ByteSink {
  bytes: Uint8Array;
  view: DataView;
  pos = 0;
  /** Uncompressed bytes of the current file so far. */
  written = 0;
  private spare: Uint8Array;
  private spareView: DataView;
  private pending: Promise<void> | undefined;
  private target: ByteTarget | undefined;

  constructor() {
    this.bytes = new Uint8Array(SINK_BUFFER_BYTES + SLACK_BYTES);
    this.view = new DataView(this.bytes.buffer);
    this.spare = new Uint8Array(SINK_BUFFER_BYTES + SLACK_BYTES);
    this.spareView = new DataView(this.spare.buffer);
  }

  async open(path: string, gzip: boolean): Promise<void> {
    this.target = gzip ? new GzipTarget(path) : new FileTarget(await open(path, 'w'));
    this.pos = 0;
    this.written = 0;
  }

  /** Bytes that still fit before the buffer must be flushed. */
  room(): number {
    return SINK_BUFFER_BYTES - this.pos;
  }

  async flush(): Promise<void> {
    if (this.pos === 0) return;
    if (this.pending) await this.pending;
    this.pending = this.target!.write(this.bytes.subarray(0, this.pos));
    // a failed write is reported by the next flush or close, not as an unhandled rejection meanwhile
    this.pending.catch(() => undefined);
    this.written += this.pos;
    [this.bytes, this.spare] = [this.spare, this.bytes];
    [this.view, this.spareView] = [this.spareView, this.view];
    this.pos = 0;
  }

  /** Makes room for `length` bytes (flushing if needed). */
  async reserve(length: number): Promise<void> {
    if (this.room() < length) await this.flush();
    if (this.room() < length) throw new Error(`a line of ${length} bytes does not fit the output buffer`);
  }

  /** Removes the last byte if it is a newline (the last write is always still in the buffer). */
  dropTrailingNewline(): void {
    if (this.pos > 0 && this.bytes[this.pos - 1] === 0x0a) this.pos--;
  }

  /**
   * Starts the last write and the close of the file, without waiting for them: the next file is generated
   * meanwhile (many small files in the training-set layout). The next flush, or `drain`, waits for them.
   */
  async close(): Promise<void> {
    await this.flush();
    const target = this.target!;
    this.target = undefined;
    this.pending = (this.pending ?? Promise.resolve()).then(() => target.close());
    this.pending.catch(() => undefined);
  }

  /** After a failure: closes the current file without writing what is buffered, and waits for pending writes; never throws. */
  async abandon(): Promise<void> {
    const target = this.target;
    this.target = undefined;
    this.pos = 0;
    await this.pending?.catch(() => undefined);
    this.pending = undefined;
    await target?.close().catch(() => undefined);
  }

  /** Waits until every byte is written and every file closed. */
  async drain(): Promise<void> {
    const pending = this.pending;
    this.pending = undefined;
    await pending;
  }
}
