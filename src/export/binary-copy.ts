import {endianness} from 'node:os';
import type {DuckDBDataChunk, DuckDBVector} from '@duckdb/node-api';
import type {ColumnKind, ExportColumn} from './tables.js';

/**
 * PostgreSQL's binary COPY format, written straight from DuckDB's column vectors.
 *
 * Layout: signature `PGCOPY\n\377\r\n\0`, int32 flags 0, int32 header extension length 0; per row an int16
 * field count, then per field an int32 byte length (-1 for NULL) and the big-endian value: int2 2 bytes, int4 4,
 * int8 8, float8 8, bool 1, date int32 days since 2000-01-01, timestamptz int64 microseconds since
 * 2000-01-01 UTC, text its UTF-8 bytes; trailer int16 -1. CopyData messages need not align with rows, so a
 * row may straddle two buffers.
 */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** 2000-01-01 - 1970-01-01: PostgreSQL counts dates and timestamps from 2000, DuckDB from 1970. */
const PG_EPOCH_DAYS = 10_957;
const PG_EPOCH_MICROS = 946_684_800_000_000;
const TWO_32 = 4_294_967_296;

/** Value bytes of the kinds the fixed-width fast path writes column by column. */
const FIXED_WIDTH: Partial<Record<ColumnKind, number>> = {int2: 2, int4: 4, int8: 8, float8: 8, date: 4};

export const DEFAULT_BUFFER_BYTES = 1 << 20;

/**
 * Buffers of one size, reused once the connection is done with them, so memory stays flat whatever the table
 * size (freshly allocated 1 MB buffers pile up faster than the garbage collector frees them: 600+ MB RSS at 10M rows).
 */
export class BufferPool {
  private readonly free: Buffer[] = [];
  constructor(readonly bufferBytes = DEFAULT_BUFFER_BYTES) {}

  take(bytes = this.bufferBytes): Buffer {
    if (bytes > this.bufferBytes) return Buffer.allocUnsafeSlow(bytes);
    return this.free.pop() ?? Buffer.allocUnsafeSlow(this.bufferBytes);
  }

  /** Hands back a buffer from take(), or any view of one; oversized one-off buffers are left to the GC. */
  give(buffer: Buffer): void {
    if (buffer.buffer.byteLength === this.bufferBytes && buffer.byteOffset === 0) this.free.push(Buffer.from(buffer.buffer, 0, this.bufferBytes));
  }
}

if (endianness() !== 'LE') throw new Error('nfx export reads DuckDB vectors as little-endian memory; this machine is big-endian');

/**
 * What a DuckDB vector holds, read from @duckdb/node-api's vector objects (`items` is the typed array over the
 * vector's memory, `validity.data` its NULL bitmask or null when every row is valid). These fields are not
 * part of the typed API; the version is pinned in package.json and test/export/binary-copy.test.ts checks
 * these reads against getItem(), so an upgrade that changes them fails the tests, not an export.
 */
interface RawVector {
  items?: unknown;
  validity?: {data: BigUint64Array | null; offset: number};
}

interface ColumnData {
  kind: ColumnKind;
  vector: DuckDBVector;
  /** int2: Int16Array; int4 and date: Int32Array; int8: Int32Array over the int64s (low word first); float8: Float64Array. */
  values: Int16Array | Int32Array | Float64Array | null;
  /** Validity bits (1 = not NULL), 32 rows a word; null when no row is NULL. */
  valid: Uint32Array | null;
}

function columnData(vector: DuckDBVector, kind: ColumnKind, rowCount: number): ColumnData {
  const raw = vector as unknown as RawVector;
  const validity = raw.validity;
  if (!validity || !('data' in validity) || validity.offset !== 0) throw new Error(`unexpected DuckDB vector layout (validity) for a ${kind} column`);
  let valid: Uint32Array | null = null;
  if (validity.data) {
    const words = new Uint32Array(validity.data.buffer, validity.data.byteOffset, validity.data.length * 2);
    if (!allSet(words, rowCount)) valid = words;
  }
  let values: ColumnData['values'] = null;
  const items = raw.items;
  const expect = (ok: boolean): void => {
    if (!ok) throw new Error(`unexpected DuckDB vector layout for a ${kind} column (${vector.type.toString()})`);
  };
  switch (kind) {
    case 'int2':
      expect(items instanceof Int16Array);
      values = items as Int16Array;
      break;
    case 'int4':
    case 'date':
      expect(items instanceof Int32Array);
      values = items as Int32Array;
      break;
    case 'int8': {
      expect(items instanceof BigInt64Array);
      const wide = items as BigInt64Array;
      values = new Int32Array(wide.buffer, wide.byteOffset, wide.length * 2);
      break;
    }
    case 'float8':
      expect(items instanceof Float64Array);
      values = items as Float64Array;
      break;
    default:
      // text, bool and timestamptz are read with getItem(): small tables only
      break;
  }
  return {kind, vector, values, valid};
}

function allSet(words: Uint32Array, rowCount: number): boolean {
  const full = rowCount >>> 5;
  for (let w = 0; w < full; w++) if (words[w] !== 0xffffffff) return false;
  const rest = rowCount & 31;
  if (rest === 0) return true;
  const mask = 0xffffffff >>> (32 - rest);
  return ((words[full] & mask) >>> 0) === mask;
}

/**
 * Encodes DuckDB data chunks as one binary COPY stream into large Buffers (hot path: written for speed, with
 * DataView writes into preallocated memory and no per-row objects or strings for numeric columns).
 * Full buffers wait in `ready` until the caller writes them to the connection.
 */
export class BinaryCopyEncoder {
  private buf: Buffer;
  private view: DataView;
  private pos = 0;
  private readonly ready: Buffer[] = [];
  private readonly fixedRowBytes: number | null;
  rows = 0;
  bytes = 0;

  constructor(
    private readonly columns: readonly ExportColumn[],
    private readonly pool = new BufferPool(),
  ) {
    this.buf = pool.take();
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    const widths = columns.map((c) => FIXED_WIDTH[c.kind]);
    this.fixedRowBytes = widths.every((w) => w !== undefined) ? 2 + widths.reduce((sum: number, w) => sum + 4 + w!, 0) : null;
    this.room(SIGNATURE.length + 8);
    SIGNATURE.copy(this.buf, this.pos);
    this.pos += SIGNATURE.length;
    this.view.setInt32(this.pos, 0); // flags: no OIDs
    this.view.setInt32(this.pos + 4, 0); // header extension length
    this.pos += 8;
  }

  /** Appends every row of a chunk whose columns are, in order, this encoder's columns. */
  encode(chunk: DuckDBDataChunk): void {
    const rowCount = chunk.rowCount;
    if (rowCount === 0) return;
    if (chunk.columnCount !== this.columns.length) throw new Error(`chunk has ${chunk.columnCount} columns, expected ${this.columns.length}`);
    const data = this.columns.map((c, i) => columnData(chunk.getColumnVector(i), c.kind, rowCount));
    if (this.fixedRowBytes !== null && data.every((d) => d.valid === null)) this.encodeFixed(data, rowCount, this.fixedRowBytes);
    else this.encodeRows(data, rowCount);
    this.rows += rowCount;
  }

  /** Writes the trailer; the last buffer is then ready. */
  end(): void {
    this.room(2);
    this.view.setInt16(this.pos, -1);
    this.pos += 2;
    this.flush(false);
  }

  /** Buffers that are complete, in order; the caller owns them until it gives them back to the pool. */
  take(): Buffer[] {
    return this.ready.splice(0);
  }

  /** Every column fixed-width and no NULL in the chunk: rows have one size, so fill column by column. */
  private encodeFixed(data: ColumnData[], rowCount: number, rowBytes: number): void {
    const fieldCount = data.length;
    let first = 0;
    while (first < rowCount) {
      const fit = Math.floor((this.buf.length - this.pos) / rowBytes);
      if (fit === 0) {
        this.flush();
        continue;
      }
      const end = Math.min(rowCount, first + fit);
      const view = this.view;
      const start = this.pos;
      for (let r = first, o = start; r < end; r++, o += rowBytes) view.setInt16(o, fieldCount);
      let field = start + 2;
      for (const column of data) {
        const values = column.values!;
        switch (column.kind) {
          case 'int4':
            for (let r = first, o = field; r < end; r++, o += rowBytes) {
              view.setInt32(o, 4);
              view.setInt32(o + 4, values[r]);
            }
            field += 8;
            break;
          case 'int8':
            for (let r = first, o = field; r < end; r++, o += rowBytes) {
              view.setInt32(o, 8);
              view.setInt32(o + 4, values[2 * r + 1]);
              view.setInt32(o + 8, values[2 * r]);
            }
            field += 12;
            break;
          case 'int2':
            for (let r = first, o = field; r < end; r++, o += rowBytes) {
              view.setInt32(o, 2);
              view.setInt16(o + 4, values[r]);
            }
            field += 6;
            break;
          case 'date':
            for (let r = first, o = field; r < end; r++, o += rowBytes) {
              view.setInt32(o, 4);
              view.setInt32(o + 4, values[r] - PG_EPOCH_DAYS);
            }
            field += 8;
            break;
          case 'float8':
            for (let r = first, o = field; r < end; r++, o += rowBytes) {
              view.setInt32(o, 8);
              view.setFloat64(o + 4, values[r]);
            }
            field += 12;
            break;
          default:
            throw new Error(`${column.kind} is not a fixed-width kind`);
        }
      }
      this.pos = start + (end - first) * rowBytes;
      first = end;
    }
  }

  /** The general path: row by row, NULLs and variable-width text allowed. */
  private encodeRows(data: ColumnData[], rowCount: number): void {
    const fieldCount = data.length;
    for (let r = 0; r < rowCount; r++) {
      this.room(2);
      this.view.setInt16(this.pos, fieldCount);
      this.pos += 2;
      for (const column of data) {
        const valid = column.valid;
        if (valid !== null && ((valid[r >>> 5] >>> (r & 31)) & 1) === 0) {
          this.room(4);
          this.view.setInt32(this.pos, -1);
          this.pos += 4;
          continue;
        }
        this.field(column, r);
      }
    }
  }

  private field(column: ColumnData, r: number): void {
    const values = column.values;
    switch (column.kind) {
      case 'int2':
        this.room(6);
        this.view.setInt32(this.pos, 2);
        this.view.setInt16(this.pos + 4, values![r]);
        this.pos += 6;
        return;
      case 'int4':
      case 'date':
        this.room(8);
        this.view.setInt32(this.pos, 4);
        this.view.setInt32(this.pos + 4, column.kind === 'date' ? values![r] - PG_EPOCH_DAYS : values![r]);
        this.pos += 8;
        return;
      case 'int8':
        this.room(12);
        this.view.setInt32(this.pos, 8);
        this.view.setInt32(this.pos + 4, values![2 * r + 1]);
        this.view.setInt32(this.pos + 8, values![2 * r]);
        this.pos += 12;
        return;
      case 'float8':
        this.room(12);
        this.view.setInt32(this.pos, 8);
        this.view.setFloat64(this.pos + 4, values![r]);
        this.pos += 12;
        return;
      case 'bool':
        this.room(5);
        this.view.setInt32(this.pos, 1);
        this.view.setUint8(this.pos + 4, column.vector.getItem(r) ? 1 : 0);
        this.pos += 5;
        return;
      case 'timestamptz': {
        const micros = Number((column.vector.getItem(r) as {micros: bigint}).micros) - PG_EPOCH_MICROS;
        const high = Math.floor(micros / TWO_32);
        this.room(12);
        this.view.setInt32(this.pos, 8);
        this.view.setInt32(this.pos + 4, high);
        this.view.setUint32(this.pos + 8, micros - high * TWO_32);
        this.pos += 12;
        return;
      }
      case 'text': {
        const text = column.vector.getItem(r) as string;
        // at most 3 UTF-8 bytes per UTF-16 code unit, so the text always fits in what room() made
        this.room(4 + 3 * text.length);
        const written = this.buf.write(text, this.pos + 4, 'utf8');
        this.view.setInt32(this.pos, written);
        this.pos += 4 + written;
        return;
      }
    }
  }

  /** Makes `bytes` contiguous bytes available, handing the current buffer over when it is too full. */
  private room(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    this.flush();
    if (bytes > this.buf.length) this.allocate(bytes);
  }

  private flush(more = true): void {
    if (this.pos > 0) {
      this.ready.push(this.buf.subarray(0, this.pos));
      this.bytes += this.pos;
    }
    if (more) this.allocate(this.pool.bufferBytes);
  }

  private allocate(bytes: number): void {
    this.buf = this.pool.take(bytes);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    this.pos = 0;
  }
}
