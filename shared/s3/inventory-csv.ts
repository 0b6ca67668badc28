/**
 * Duplicate candidates from an S3 Inventory report (CSV, gzipped), streamed: never the whole
 * report in memory. Two passes over the files:
 *   1. only the Size column of current, non-delete-marker rows at or above the floor, into a
 *      growable Float64Array (8 bytes per object); sorted, it gives the sizes seen twice or more;
 *   2. the full rows whose size is one of those: the only records kept.
 * Reading a file twice costs one more GET per file; holding every row would cost gigabytes.
 *
 * S3 Inventory URL-encodes keys and quotes every value, so a line splits on `","`. It has the
 * ETag, size, IsMultipartUploaded and EncryptionStatus, but no checksum values: multipart and
 * SSE-KMS candidates stay unproven until the listing path hashes them.
 */
import { pipeline, type Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { z } from "zod";
import { etagIsMd5, type S3ObjectRecord } from "./duplicates.ts";

export const inventoryManifest = z.object({
  sourceBucket: z.string(),
  destinationBucket: z.string(),
  fileFormat: z.string(),
  fileSchema: z.string(),
  files: z.array(z.object({ key: z.string(), size: z.number(), MD5checksum: z.string() })),
});

export type InventoryManifest = z.infer<typeof inventoryManifest>;

/** How to open one report file (S3 GetObject body in AWS; a file stream in tests and the bench). */
export type OpenFile = (key: string) => Promise<Readable>;

/**
 * The gunzipped content of `source`. `pipeline`, not `pipe`: an error of the source (a failed
 * GET, a checksum that does not match) reaches the reader instead of leaving it waiting.
 */
function gunzipped(source: Readable): Readable {
  return pipeline(source, createGunzip({ chunkSize: 256 * 1024 }), () => {});
}

/** Calls `onLine` for every line of a gzipped stream, decoding chunk by chunk. */
export async function forEachLine(source: Readable, onLine: (line: string) => void): Promise<void> {
  let rest = "";
  for await (const chunk of gunzipped(source)) {
    // Keys are URL-encoded: the report is ASCII, latin1 decoding is exact and the fastest.
    const text = rest + (chunk as Buffer).toString("latin1");
    let start = 0;
    let nl = text.indexOf("\n", start);
    while (nl !== -1) {
      if (nl > start) onLine(text.slice(start, nl));
      start = nl + 1;
      nl = text.indexOf("\n", start);
    }
    rest = text.slice(start);
  }
  if (rest.length > 0) onLine(rest);
}

/** The `index`-th quoted value of a report line (without its quotes), "" when absent. */
export function field(line: string, index: number): string {
  let start = 0;
  for (let i = 0; i < index; i++) {
    start = line.indexOf('","', start);
    if (start === -1) return "";
    start += 2;
  }
  const end = line.indexOf('","', start);
  const raw = end === -1 ? line.slice(start) : line.slice(start, end);
  return raw.replace(/^"|"\r?$|"$/g, "");
}

interface Columns {
  bucket: number;
  key: number;
  size: number;
  etag: number;
  lastModified: number;
  storageClass: number;
  isLatest: number;
  isDeleteMarker: number;
  multipart: number;
  encryption: number;
  lockMode: number;
  lockUntil: number;
  legalHold: number;
  versionId: number;
}

export function columnsOf(fileSchema: string): Columns {
  const names = fileSchema.split(",").map((s) => s.trim());
  const at = (n: string) => names.indexOf(n);
  const c: Columns = {
    bucket: at("Bucket"),
    key: at("Key"),
    size: at("Size"),
    etag: at("ETag"),
    lastModified: at("LastModifiedDate"),
    storageClass: at("StorageClass"),
    isLatest: at("IsLatest"),
    isDeleteMarker: at("IsDeleteMarker"),
    multipart: at("IsMultipartUploaded"),
    encryption: at("EncryptionStatus"),
    lockMode: at("ObjectLockMode"),
    lockUntil: at("ObjectLockRetainUntilDate"),
    legalHold: at("ObjectLockLegalHoldStatus"),
    versionId: at("VersionId"),
  };
  for (const required of ["bucket", "key", "size", "etag"] as const) {
    if (c[required] === -1) throw new Error(`inventory schema has no ${required} column: ${fileSchema}`);
  }
  return c;
}

export const ENCRYPTION: Record<string, string> = {
  "NOT-SSE": "NONE",
  "SSE-S3": "SSE-S3",
  "SSE-KMS": "SSE-KMS",
  "DSSE-KMS": "DSSE-KMS",
  "SSE-C": "SSE-C",
};

/** A current object version (not a noncurrent version, not a delete marker). */
function isCurrent(line: string, c: Columns): boolean {
  if (c.isLatest !== -1 && field(line, c.isLatest) === "false") return false;
  return !(c.isDeleteMarker !== -1 && field(line, c.isDeleteMarker) === "true");
}

export interface InventoryScanStats {
  rows: number;
  /** Current objects whose size is repeated (at or above the floor). */
  candidates: number;
  /** Candidates the ETag cannot prove and that no other candidate matches by ETag: need a hash. */
  unresolved: number;
  unresolvedBytes: number;
}

export const emptyStats = (): InventoryScanStats => ({
  rows: 0,
  candidates: 0,
  unresolved: 0,
  unresolvedBytes: 0,
});

const QUOTE = 0x22;
const COMMA = 0x2c;
const NEWLINE = 0x0a;

/**
 * Calls `onRow(size, buf, start, end)` for every row of a gzipped report, reading the Size
 * column from the bytes: no string is made for a row (`buf` is only valid during the call).
 */
export async function forEachRowSize(
  source: Readable,
  sizeIndex: number,
  onRow: (size: number, buf: Buffer, start: number, end: number) => void,
): Promise<void> {
  let rest: Buffer | undefined;
  for await (const chunk of gunzipped(source)) {
    const buf: Buffer = rest ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
    let start = 0;
    let nl = buf.indexOf(NEWLINE, start);
    while (nl !== -1) {
      if (nl > start) onRow(sizeAt(buf, start, nl, sizeIndex), buf, start, nl);
      start = nl + 1;
      nl = buf.indexOf(NEWLINE, start);
    }
    rest = start < buf.length ? buf.subarray(start) : undefined;
  }
  if (rest) onRow(sizeAt(rest, 0, rest.length, sizeIndex), rest, 0, rest.length);
}

/** The Size value of a row, from its bytes; -1 when empty (delete markers). */
function sizeAt(buf: Buffer, start: number, end: number, sizeIndex: number): number {
  let i = start + 1; // past the opening quote
  for (let f = 0; f < sizeIndex; f++) {
    while (i < end && !(buf[i] === QUOTE && buf[i + 1] === COMMA && buf[i + 2] === QUOTE)) i++;
    i += 3;
  }
  let size = 0;
  let digits = 0;
  for (; i < end; i++) {
    const b = buf[i] as number;
    if (b < 0x30 || b > 0x39) break;
    size = size * 10 + (b - 0x30);
    digits++;
  }
  return digits === 0 ? -1 : size;
}

const ARENA_CHUNK = 32 * 1024 * 1024;

/**
 * The rows at or above the floor, as raw bytes in large buffers (no string, no object per row):
 * what a single pass keeps until the repeated sizes are known.
 */
class RowArena {
  private chunks: Buffer[] = [Buffer.allocUnsafe(ARENA_CHUNK)];
  private used = 0;
  sizes = new Float64Array(1 << 20);
  private where = new Float64Array(1 << 20);
  private lengths = new Uint16Array(1 << 20);
  n = 0;

  add(size: number, buf: Buffer, start: number, end: number): void {
    const len = Math.min(end - start, 65_535);
    if (this.used + len > ARENA_CHUNK) {
      this.chunks.push(Buffer.allocUnsafe(ARENA_CHUNK));
      this.used = 0;
    }
    if (this.n === this.sizes.length) this.grow();
    buf.copy(this.chunks[this.chunks.length - 1] as Buffer, this.used, start, start + len);
    this.sizes[this.n] = size;
    this.where[this.n] = (this.chunks.length - 1) * ARENA_CHUNK + this.used;
    this.lengths[this.n] = len;
    this.used += len;
    this.n++;
  }

  line(i: number): string {
    const at = this.where[i] as number;
    const chunk = this.chunks[Math.floor(at / ARENA_CHUNK)] as Buffer;
    const offset = at % ARENA_CHUNK;
    return chunk.toString("latin1", offset, offset + (this.lengths[i] as number));
  }

  /** Lets the bytes go (the lines that matter are strings by now). */
  release(): void {
    this.chunks = [];
    this.sizes = new Float64Array(0);
    this.where = new Float64Array(0);
    this.lengths = new Uint16Array(0);
    this.n = 0;
  }

  private grow(): void {
    const sizes = new Float64Array(this.sizes.length * 2);
    sizes.set(this.sizes);
    this.sizes = sizes;
    const where = new Float64Array(this.where.length * 2);
    where.set(this.where);
    this.where = where;
    const lengths = new Uint16Array(this.lengths.length * 2);
    lengths.set(this.lengths);
    this.lengths = lengths;
  }
}

/**
 * The sizes seen more than once among the first `n` of `sizes`, counting `others` (sizes seen
 * elsewhere) as one more sighting each.
 */
export function repeated(sizes: Float64Array, n: number, others: readonly number[] = []): Set<number> {
  // Sorted, equal sizes sit side by side: one scan finds the repeated ones.
  const sorted = sizes.slice(0, n).sort();
  const out = new Set<number>();
  for (let i = 1; i < n; i++) if (sorted[i] === sorted[i - 1]) out.add(sorted[i] as number);
  for (const s of others) if (binarySearch(sorted, s)) out.add(s);
  return out;
}

function binarySearch(sorted: Float64Array, value: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid] as number;
    if (v === value) return true;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** One report line as a record. */
export function recordOf(line: string, c: Columns, region: string, now: Date): S3ObjectRecord {
  const values = line.replace(/^"|"\r?$/g, "").split('","');
  const get = (i: number) => (i === -1 ? "" : (values[i] ?? ""));
  const versionId = get(c.versionId);
  const lockUntil = get(c.lockUntil);
  const locked =
    get(c.legalHold) === "ON" ||
    (get(c.lockMode) !== "" && lockUntil !== "" && new Date(lockUntil).getTime() > now.getTime());
  const multipart = get(c.multipart) === "true";
  const etag = get(c.etag);
  return {
    bucket: get(c.bucket),
    region,
    key: decodeURIComponent(get(c.key).replace(/\+/g, " ")),
    size: Number(get(c.size)),
    // A multipart ETag always carries `-N`; mark it if the report's ETag column lost it.
    etag: multipart && !etag.includes("-") ? `${etag}-?` : etag,
    lastModified: new Date(get(c.lastModified) || 0),
    storageClass: get(c.storageClass) || "STANDARD",
    ...(c.encryption !== -1 ? { encryption: ENCRYPTION[get(c.encryption)] ?? get(c.encryption) } : {}),
    // A report listing versions comes from a versioned bucket (a current-only report cannot tell).
    ...(c.versionId !== -1 ? { versioned: true } : {}),
    ...(versionId && versionId !== "null" ? { versionId } : {}),
    ...(locked ? { locked: true } : {}),
  };
}

/**
 * One pass over the report: rows at or above the floor go, as bytes, into an arena; then the
 * repeated sizes are known, and only the lines of those sizes become strings, grouped by size
 * and ETag. Records are made only for lines that share size and ETag with another (a proven or
 * probable group), or, with `keepUnresolved`, for every candidate (for a caller that will hash
 * the rest). The arena is dropped before the records are made.
 */
export async function inventoryCandidates(
  manifest: InventoryManifest,
  open: OpenFile,
  options: {
    minSize: number;
    region: string;
    now: Date;
    keepUnresolved?: boolean;
    /** Sizes of objects read elsewhere (other buckets, listed): a row matching one is a candidate. */
    otherSizes?: readonly number[];
    /** What produced a bucket's records (evidence), e.g. `inventory 2026-11-22T01-00Z`. */
    sourceOf?: (bucket: string) => string;
  },
  stats: InventoryScanStats = emptyStats(),
): Promise<S3ObjectRecord[]> {
  const c = columnsOf(manifest.fileSchema);
  const versions = c.isLatest !== -1 || c.isDeleteMarker !== -1;
  const arena = new RowArena();
  for (const file of manifest.files) {
    await forEachRowSize(await open(file.key), c.size, (size, buf, start, end) => {
      stats.rows++;
      if (size < options.minSize) return;
      if (versions && !isCurrent(buf.toString("latin1", start, end), c)) return;
      arena.add(size, buf, start, end);
    });
  }
  const sizes = repeated(arena.sizes, arena.n, options.otherSizes);
  const bySizeEtag = new Map<string, string | string[]>();
  for (let i = 0; i < arena.n; i++) {
    const size = arena.sizes[i] as number;
    if (!sizes.has(size)) continue;
    stats.candidates++;
    const line = arena.line(i);
    const k = `${size}/${field(line, c.etag)}`;
    const held = bySizeEtag.get(k);
    if (held === undefined) bySizeEtag.set(k, line);
    else if (typeof held === "string") bySizeEtag.set(k, [held, line]);
    else held.push(line);
  }
  arena.release();
  const out: S3ObjectRecord[] = [];
  const make = (line: string): S3ObjectRecord => {
    const record = recordOf(line, c, options.region, options.now);
    return options.sourceOf ? { ...record, source: options.sourceOf(record.bucket) } : record;
  };
  for (const [k, held] of bySizeEtag) {
    // Each line becomes a record and leaves the map: lines and records are never both held.
    bySizeEtag.delete(k);
    if (typeof held !== "string") {
      for (const line of held) out.push(make(line));
      continue;
    }
    const record = make(held);
    // Alone with its ETag: only a hash can match it to another candidate (an MD5 one included).
    if (options.keepUnresolved) out.push(record);
    if (etagIsMd5(record)) continue;
    stats.unresolved++;
    stats.unresolvedBytes += record.size;
  }
  return out;
}
