/**
 * One S3 Inventory report file, on bytes: no string and no object per row.
 *   - `RowsReader` (fed the gunzipped chunks): the Size of every row, and the raw line of each
 *     current row at or above the floor, kept in large blocks (`KeptRows`) — the file is read once;
 *   - `candidatesOf`: once the repeated sizes are known, the kept lines of those sizes, with a
 *     hash of (size, ETag) per line to group them by (shared/s3/candidate-groups.ts).
 * Pure and synchronous per chunk, so the same code runs on the main thread and in a worker
 * (shared/s3/inventory-workers.ts).
 *
 * S3 Inventory quotes every value and URL-encodes keys, so a `"` only ever opens or closes a
 * value and a line never holds a newline inside a value.
 */
import type { SizeSet } from "./size-set.ts";

const QUOTE = 0x22;
const COMMA = 0x2c;
const NEWLINE = 0x0a;
const DASH = 0x2d;

/** Where the values a pass reads sit in a line (column indexes; -1 when the report lacks it). */
export interface RowColumns {
  size: number;
  isLatest: number;
  isDeleteMarker: number;
}

/**
 * Splits chunks into lines, carrying only the unfinished last line from one chunk to the next
 * (never concatenating whole chunks). `onLine(buf, start, end)`: `buf` is valid during the call.
 */
export class LineSplitter {
  private carry = Buffer.allocUnsafe(4096);
  private carried = 0;

  constructor(private readonly onLine: (buf: Buffer, start: number, end: number) => void) {}

  push(chunk: Buffer): void {
    let start = 0;
    if (this.carried > 0) {
      const nl = chunk.indexOf(NEWLINE);
      if (nl === -1) {
        this.keep(chunk, 0, chunk.length);
        return;
      }
      this.keep(chunk, 0, nl);
      this.emit(this.carry, 0, this.carried);
      this.carried = 0;
      start = nl + 1;
    }
    let nl = chunk.indexOf(NEWLINE, start);
    while (nl !== -1) {
      this.emit(chunk, start, nl);
      start = nl + 1;
      nl = chunk.indexOf(NEWLINE, start);
    }
    if (start < chunk.length) this.keep(chunk, start, chunk.length);
  }

  /** The last line, when the file does not end with a newline. */
  end(): void {
    if (this.carried > 0) this.emit(this.carry, 0, this.carried);
    this.carried = 0;
  }

  private emit(buf: Buffer, start: number, end: number): void {
    // A CRLF report: the `\r` is not part of the last value.
    if (end > start && buf[end - 1] === 0x0d) end--;
    if (end > start) this.onLine(buf, start, end);
  }

  private keep(chunk: Buffer, start: number, end: number): void {
    const need = this.carried + end - start;
    if (need > this.carry.length) {
      const bigger = Buffer.allocUnsafe(Math.max(need, this.carry.length * 2));
      this.carry.copy(bigger, 0, 0, this.carried);
      this.carry = bigger;
    }
    chunk.copy(this.carry, this.carried, start, end);
    this.carried = need;
  }
}

/**
 * The offset just past the opening quote of value `index` of the line starting at `start`
 * (values are `"…"` separated by `,`), or -1 when the line has fewer values.
 */
export function valueStart(buf: Buffer, start: number, end: number, index: number): number {
  let i = start + 1;
  for (let f = 0; f < index; f++) {
    // The closing quote of this value is the first `"` followed by `,"`.
    while (i < end && !(buf[i] === QUOTE && buf[i + 1] === COMMA && buf[i + 2] === QUOTE)) i++;
    if (i >= end) return -1;
    i += 3;
  }
  return i;
}

/** The decimal number starting at `i` (the Size value); -1 when there is none (delete markers). */
function numberAt(buf: Buffer, i: number, end: number): number {
  let n = 0;
  let digits = 0;
  for (; i < end; i++) {
    const b = buf[i] as number;
    if (b < 0x30 || b > 0x39) break;
    n = n * 10 + (b - 0x30);
    digits++;
  }
  return digits === 0 ? -1 : n;
}

/** Whether the value starting at `i` is exactly `word` (followed by its closing quote). */
function valueIs(buf: Buffer, i: number, end: number, word: string): boolean {
  if (i < 0 || i + word.length >= end + 1) return false;
  for (let k = 0; k < word.length; k++) if (buf[i + k] !== word.charCodeAt(k)) return false;
  return i + word.length === end || buf[i + word.length] === QUOTE;
}

/**
 * The size of a current row (not a noncurrent version, not a delete marker) at or above
 * `minSize`; -1 for any other row. The values are read in column order, one forward scan.
 */
export function rowSize(buf: Buffer, start: number, end: number, c: RowColumns, minSize: number): number {
  if (c.isLatest === -1 && c.isDeleteMarker === -1) {
    const at = valueStart(buf, start, end, c.size);
    if (at === -1) return -1;
    const size = numberAt(buf, at, end);
    return size >= minSize && size >= 0 ? size : -1;
  }
  const at = valueStart(buf, start, end, c.size);
  const size = at === -1 ? -1 : numberAt(buf, at, end);
  if (size < minSize || size < 0) return -1;
  if (c.isLatest !== -1 && valueIs(buf, valueStart(buf, start, end, c.isLatest), end, "false")) return -1;
  if (c.isDeleteMarker !== -1 && valueIs(buf, valueStart(buf, start, end, c.isDeleteMarker), end, "true"))
    return -1;
  return size;
}

/** A Float64Array that grows by doubling; `take()` hands over exactly the values pushed. */
export class GrowableFloat64 {
  private values: Float64Array;
  n = 0;

  constructor(initial = 1 << 16) {
    this.values = new Float64Array(initial);
  }

  push(v: number): void {
    if (this.n === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.n++] = v;
  }

  take(): Float64Array {
    const out = this.n === this.values.length ? this.values : this.values.slice(0, this.n);
    this.values = new Float64Array(0);
    this.n = 0;
    return out;
  }
}

/** Appends line bytes into one growing buffer, each line followed by a newline. */
class LineBuffer {
  private buf = Buffer.allocUnsafe(1 << 20);
  used = 0;

  add(src: Buffer, start: number, end: number): void {
    const need = this.used + end - start + 1;
    if (need > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
      this.buf.copy(bigger, 0, 0, this.used);
      this.buf = bigger;
    }
    src.copy(this.buf, this.used, start, end);
    this.buf[need - 1] = NEWLINE;
    this.used = need;
  }

  /**
   * A copy of exactly the bytes written, in an ArrayBuffer of its own (never Node's shared pool):
   * the spare capacity is not kept alive, and a worker can transfer it.
   */
  take(): Buffer {
    const out = Buffer.from(new ArrayBuffer(this.used));
    this.buf.copy(out, 0, 0, this.used);
    this.buf = Buffer.alloc(0);
    return out;
  }
}

/** What reading a file needs to know about the report, beyond its bytes. */
export interface PassPlan {
  columns: RowColumns;
  minSize: number;
}

/** What reading one file tells the main thread: its rows and the sizes that matter. */
export interface SizesOfFile {
  /** Every row of the file (below the floor and noncurrent included). */
  rows: number;
  /** The sizes of the current rows at or above the floor, sorted ascending. */
  sizes: Float64Array;
}

/** Bytes per block of kept lines: large, so blocks cost no per-row overhead. */
const BLOCK = 8 * 1024 * 1024;

/**
 * The lines of the current rows at or above the floor of one file, each followed by a newline,
 * in blocks of `BLOCK` bytes (no doubling, no copy as it grows), with each row's size and where
 * its line starts (block × BLOCK + offset).
 */
export interface KeptRows {
  blocks: Buffer[];
  where: Float64Array;
  sizes: Float64Array;
}

/** Reads one file, fed chunk by chunk: counts its rows, keeps the rows that can be candidates. */
export class RowsReader {
  private rows = 0;
  private readonly sizes = new GrowableFloat64();
  private readonly where = new GrowableFloat64();
  private readonly blocks: Buffer[] = [];
  private block = Buffer.allocUnsafe(0);
  private used = 0;
  private readonly lines: LineSplitter;

  constructor(plan: PassPlan) {
    const { columns, minSize } = plan;
    this.lines = new LineSplitter((buf, start, end) => {
      this.rows++;
      const size = rowSize(buf, start, end, columns, minSize);
      if (size !== -1) this.keep(size, buf, start, end);
    });
  }

  push(chunk: Buffer): void {
    this.lines.push(chunk);
  }

  /** The file's counts, and its kept rows (for `candidatesOf`). */
  end(): { read: SizesOfFile; kept: KeptRows } {
    this.lines.end();
    const sizes = this.sizes.take();
    return {
      // Sorted here, on the reading thread: the main thread only merges (shared/s3/size-set.ts).
      read: { rows: this.rows, sizes: sizes.slice().sort() },
      kept: { blocks: this.blocks, where: this.where.take(), sizes },
    };
  }

  private keep(size: number, buf: Buffer, start: number, end: number): void {
    const len = end - start + 1;
    if (this.used + len > this.block.length) {
      this.block = Buffer.allocUnsafeSlow(Math.max(BLOCK, len));
      this.blocks.push(this.block);
      this.used = 0;
    }
    buf.copy(this.block, this.used, start, end);
    this.block[this.used + len - 1] = NEWLINE;
    this.sizes.push(size);
    this.where.push((this.blocks.length - 1) * BLOCK + this.used);
    this.used += len;
  }
}

/**
 * The candidate rows of one file, in row order: their lines (each followed by a newline), where
 * each starts, their sizes, two 32-bit hashes per row of (size, ETag) and where the ETag sits
 * (`etags`: start and end per row), so the main thread groups them without making a string
 * (shared/s3/candidate-groups.ts compares the ETag bytes of rows whose hashes match), and
 * whether the row's ETag proves its content (`md5`: 1 or 0, see `etagProvesContent`).
 */
export interface CandidatesOfFile {
  lines: Buffer;
  starts: Uint32Array;
  sizes: Float64Array;
  keys: Uint32Array;
  etags: Uint32Array;
  md5: Uint8Array;
}

/** The columns that say whether a row's ETag is the MD5 of its content. */
export interface ProofColumns {
  etag: number;
  multipart: number;
  encryption: number;
}

/**
 * Where every value of one line starts and ends (without quotes), found in one forward scan:
 * the candidates pass reads three or four values of each candidate line, and a `valueStart` per
 * value would rescan from the start each time. Reused from line to line: no allocation per row.
 */
export class LineValues {
  private bounds = new Int32Array(64);
  /** Values found in the current line. */
  count = 0;

  /**
   * Reads the line `buf[start, end)` (values `"…"` separated by `","`, as `valueStart` reads
   * them), up to value `last` (the values after it are not needed: the scan stops there).
   */
  read(buf: Buffer, start: number, end: number, last = Number.MAX_SAFE_INTEGER): void {
    let n = 0;
    let from = start + 1;
    for (let i = from; i + 2 < end; i++) {
      if (buf[i] === QUOTE && buf[i + 1] === COMMA && buf[i + 2] === QUOTE) {
        n = this.bound(n, from, i);
        if (n > last) {
          this.count = n;
          return;
        }
        from = i + 3;
        i += 2;
      }
    }
    this.count = this.bound(n, from, Math.max(from, buf[end - 1] === QUOTE ? end - 1 : end));
  }

  /** Where value `column` starts; -1 when the line has no such value. */
  from(column: number): number {
    return column < 0 || column >= this.count ? -1 : (this.bounds[2 * column] as number);
  }

  /** Where value `column` ends (exclusive); -1 when the line has no such value. */
  to(column: number): number {
    return column < 0 || column >= this.count ? -1 : (this.bounds[2 * column + 1] as number);
  }

  private bound(n: number, from: number, to: number): number {
    if (2 * n + 2 > this.bounds.length) {
      const bigger = new Int32Array(this.bounds.length * 2);
      bigger.set(this.bounds);
      this.bounds = bigger;
    }
    this.bounds[2 * n] = from;
    this.bounds[2 * n + 1] = to;
    return n + 1;
  }
}

/**
 * `etagIsMd5(recordOf(line))` (shared/s3/duplicates.ts, inventory-csv.ts) from the bytes of a
 * line already `read` into `values`: an ETag without `-` of a row not uploaded in parts, stored
 * unencrypted or SSE-S3 (the report's NOT-SSE becomes NONE; an unknown value passes through as
 * is, so NONE counts too).
 */
export function etagProvesContent(buf: Buffer, values: LineValues, p: ProofColumns): boolean {
  if (p.encryption === -1) return false;
  for (let i = values.from(p.etag), to = values.to(p.etag); i < to; i++) if (buf[i] === DASH) return false;
  if (valueEquals(buf, values, p.multipart, "true")) return false;
  return (
    valueEquals(buf, values, p.encryption, "NOT-SSE") ||
    valueEquals(buf, values, p.encryption, "SSE-S3") ||
    valueEquals(buf, values, p.encryption, "NONE")
  );
}

/** Whether value `column` of the line in `values` is exactly `word` (false when absent). */
function valueEquals(buf: Buffer, values: LineValues, column: number, word: string): boolean {
  const from = values.from(column);
  if (from === -1 || values.to(column) - from !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (buf[from + i] !== word.charCodeAt(i)) return false;
  return true;
}

/** The kept rows whose size is in `repeated`, as candidates (the kept rows are not changed). */
export function candidatesOf(kept: KeptRows, repeated: SizeSet, proof: ProofColumns): CandidatesOfFile {
  const out = new LineBuffer();
  const starts = new GrowableUint32();
  const sizes = new GrowableFloat64(1 << 12);
  const keys = new GrowableUint32();
  const etags = new GrowableUint32();
  const md5 = new GrowableUint32();
  const values = new LineValues();
  const last = Math.max(proof.etag, proof.multipart, proof.encryption);
  for (let r = 0; r < kept.sizes.length; r++) {
    const size = kept.sizes[r] as number;
    if (!repeated.has(size)) continue;
    const at = kept.where[r] as number;
    const buf = kept.blocks[Math.floor(at / BLOCK)] as Buffer;
    const start = at % BLOCK;
    const end = buf.indexOf(NEWLINE, start);
    const lineAt = out.used;
    starts.push(lineAt);
    out.add(buf, start, end);
    sizes.push(size);
    values.read(buf, start, end, last);
    const from = values.from(proof.etag);
    const to = values.to(proof.etag);
    let h1 = Math.imul((size >>> 0) ^ 0x811c9dc5, 0x01000193);
    let h2 = Math.imul(((size / 4294967296) >>> 0) ^ 0x9747b28c, 0x5bd1e995);
    for (let i = from; i < to; i++) {
      const b = buf[i] as number;
      h1 = Math.imul(h1 ^ b, 0x01000193);
      h2 = Math.imul(h2 ^ b, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    keys.push(h1 >>> 0);
    keys.push(h2 >>> 0);
    etags.push(from === -1 ? lineAt : lineAt + from - start);
    etags.push(from === -1 ? lineAt : lineAt + to - start);
    md5.push(etagProvesContent(buf, values, proof) ? 1 : 0);
  }
  return {
    lines: out.take(),
    starts: starts.take(),
    sizes: sizes.take(),
    keys: keys.take(),
    etags: etags.take(),
    md5: Uint8Array.from(md5.take()),
  };
}

/** A Uint32Array that grows by doubling; `take()` hands over exactly the values pushed. */
export class GrowableUint32 {
  private values = new Uint32Array(1 << 12);
  n = 0;

  push(v: number): void {
    if (this.n === this.values.length) {
      const bigger = new Uint32Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.n++] = v;
  }

  take(): Uint32Array {
    const out = this.values.slice(0, this.n);
    this.values = new Uint32Array(0);
    this.n = 0;
    return out;
  }
}
