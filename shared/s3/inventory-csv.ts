/**
 * Duplicate candidates from an S3 Inventory report (CSV, gzipped): the manifest, the columns,
 * records from report lines, and `inventoryCandidates`, which reads each file once, on worker
 * threads, keeping only bytes until the candidates are known (docs/decisions/008):
 *   - shared/s3/inventory-rows.ts: the byte-level reading of one file (sizes, kept rows, candidates);
 *   - shared/s3/inventory-workers.ts: the worker threads (or this thread) running it per file;
 *   - shared/s3/size-set.ts: the sizes seen more than once;
 *   - shared/s3/candidate-groups.ts: candidates grouped by size and ETag, still as bytes.
 *
 * S3 Inventory URL-encodes keys and quotes every value, so a line splits on `","`. It has the
 * ETag, size, IsMultipartUploaded and EncryptionStatus, but no checksum values: multipart and
 * SSE-KMS candidates stay unproven until the listing path hashes them.
 */
import { pipeline, type Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { z } from "zod";
import { CandidateGroups } from "./candidate-groups.ts";
import type { S3ObjectRecord } from "./duplicates.ts";
import type { CandidatesOfFile, PassPlan } from "./inventory-rows.ts";
import { defaultThreads, reportReader } from "./inventory-workers.ts";
import { repeatedSizes } from "./size-set.ts";

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

const QUOTE = 0x22;
const CR = 0x0d;

export const ENCRYPTION: Record<string, string> = {
  "NOT-SSE": "NONE",
  "SSE-S3": "SSE-S3",
  "SSE-KMS": "SSE-KMS",
  "DSSE-KMS": "DSSE-KMS",
  "SSE-C": "SSE-C",
};

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

/** A URL-encoded key (S3 Inventory encodes keys, `+` for a space), decoded. */
function decodeKey(raw: string): string {
  return raw.includes("%") || raw.includes("+") ? decodeURIComponent(raw.replace(/\+/g, " ")) : raw;
}

/** Value `i` of a split line, "" when the column is absent (-1) or the line is short. */
function valueAt(values: string[], i: number): string {
  return i === -1 ? "" : (values[i] ?? "");
}

/**
 * One report line as a record: the values are the line without its first and last quote (and
 * a trailing `\r`), split on `","`. It runs for every kept candidate, so: no closure (tsx names
 * each one it creates), no regular expression on the common path, optional fields assigned
 * rather than spread. (Building the strings from the bytes instead was slower: each
 * `buf.toString` is a call into C++; one per line and V8's `split` is cheaper.)
 */
export function recordOf(line: string, c: Columns, region: string, now: Date): S3ObjectRecord {
  const begin = line.charCodeAt(0) === QUOTE ? 1 : 0;
  let end = line.length;
  if (line.charCodeAt(end - 1) === CR && line.charCodeAt(end - 2) === QUOTE && end - 2 >= begin) end -= 2;
  else if (line.charCodeAt(end - 1) === QUOTE && end - 1 >= begin) end -= 1;
  const values = line.slice(begin, end).split('","');
  const versionId = valueAt(values, c.versionId);
  const lockUntil = valueAt(values, c.lockUntil);
  const locked =
    valueAt(values, c.legalHold) === "ON" ||
    (valueAt(values, c.lockMode) !== "" && lockUntil !== "" && new Date(lockUntil).getTime() > now.getTime());
  const multipart = valueAt(values, c.multipart) === "true";
  const etag = valueAt(values, c.etag);
  const record: S3ObjectRecord = {
    bucket: valueAt(values, c.bucket),
    region,
    key: decodeKey(valueAt(values, c.key)),
    size: Number(valueAt(values, c.size)),
    // A multipart ETag always carries `-N`; mark it if the report's ETag column lost it.
    etag: multipart && !etag.includes("-") ? `${etag}-?` : etag,
    lastModified: new Date(valueAt(values, c.lastModified) || 0),
    storageClass: valueAt(values, c.storageClass) || "STANDARD",
  };
  if (c.encryption !== -1) {
    const e = valueAt(values, c.encryption);
    record.encryption = ENCRYPTION[e] ?? e;
  }
  // A report listing versions comes from a versioned bucket (a current-only report cannot tell).
  if (c.versionId !== -1) record.versioned = true;
  if (versionId && versionId !== "null") record.versionId = versionId;
  if (locked) record.locked = true;
  return record;
}

/**
 * The duplicate candidates of a report. Each file is read once (gunzip and a byte scan, on a
 * worker thread per core; shared/s3/inventory-workers.ts), and the thread that read it keeps the
 * raw lines of its current rows at or above the floor and returns their sizes. The sizes seen
 * more than once (counting `otherSizes` as one more sighting) go back to the threads, which hand
 * over the lines of those sizes only; they are grouped by size and ETag as bytes
 * (shared/s3/candidate-groups.ts). Records are made only for lines that share size and ETag with
 * another (a proven or probable group), or, with `keepUnresolved`, for every candidate (for a
 * caller that will hash the rest).
 *
 * One read, not two (sizes first, then the candidate rows): gunzip and the scan are most of
 * the cost (~5 s of ~10 s for 10M rows on 2 cores), so a second read would add ~45%; keeping the
 * rows costs ~65 bytes an object, within the 150 the 10M-object bench allows (docs/decisions/008).
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
    /** Worker threads for the passes (default: one per core, at most one per file; ≤ 1: none). */
    threads?: number;
  },
  stats: InventoryScanStats = emptyStats(),
): Promise<S3ObjectRecord[]> {
  const c = columnsOf(manifest.fileSchema);
  const plan: PassPlan = {
    columns: { size: c.size, isLatest: c.isLatest, isDeleteMarker: c.isDeleteMarker },
    minSize: options.minSize,
  };
  const files = manifest.files.map((f) => f.key);
  const reader = await reportReader(options.threads ?? defaultThreads(files.length));
  const groups = new CandidateGroups();
  try {
    const sizes: Float64Array[] = [];
    await reader.readFiles(files, open, plan, (i, r) => {
      stats.rows += r.rows;
      sizes[i] = r.sizes;
    });
    const repeated = repeatedSizes(sizes, options.otherSizes);
    groups.expect(repeated.rows);
    sizes.length = 0;
    // Grouped in report order as files come back, so the records come out in a stable order.
    const done: CandidatesOfFile[] = [];
    let next = 0;
    await reader.candidates(repeated.set, c, (i, r) => {
      done[i] = r;
      for (let f = done[next]; f !== undefined; f = done[next]) {
        groups.add(f);
        delete done[next++];
      }
    });
  } finally {
    await reader.close();
  }
  stats.candidates += groups.count;
  const out: S3ObjectRecord[] = [];
  const make = (buf: Buffer, start: number, end: number): void => {
    const record = recordOf(buf.toString("latin1", start, end), c, options.region, options.now);
    if (options.sourceOf) record.source = options.sourceOf(record.bucket);
    out.push(record);
  };
  for (const g of groups.drain()) {
    if (groups.rowsOf(g) > 1) {
      groups.forEachRow(g, make);
      continue;
    }
    // Alone with its ETag: only a hash can match it to another candidate (an MD5 one included).
    if (options.keepUnresolved) groups.forEachRow(g, make);
    if (groups.etagIsMd5Of(g)) continue;
    stats.unresolved++;
    stats.unresolvedBytes += groups.sizeOf(g);
  }
  return out;
}
