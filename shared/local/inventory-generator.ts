/**
 * Generated S3 Inventory reports (manifest.json + CSV.gz files) for the bench and the tests:
 * deterministic for a seed, with a realistic mix and a known truth.
 *
 * Per row: 60% small files (1 KiB–1 MiB, below the duplicate floor), 30% log-uniform 1 MiB–
 * 10 GiB, 5% fixed-size shards (50 sizes shared by different content: same size, different
 * content), 5% copies of an earlier object of 1 MiB or more. Upload modes: 10% SSE-S3, 8%
 * SSE-KMS (ETag not an MD5), objects over 64 MiB multipart with 8 or 16 MiB parts (the ETag
 * depends on the part size), the rest single-part unencrypted (ETag = MD5).
 *
 * The truth travels in the key (`…/c<contentId>-r<row>.bin`): two rows hold the same content
 * exactly when their content ids are equal. Nothing in the detection reads it.
 */

import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createGzip } from "node:zlib";
import type { InventoryManifest } from "../s3/inventory-csv.ts";

export const GENERATED_SCHEMA =
  "Bucket, Key, Size, LastModifiedDate, ETag, StorageClass, IsMultipartUploaded, EncryptionStatus, ObjectLockMode, ObjectLockRetainUntilDate, ObjectLockLegalHoldStatus";

const MIB = 1024 * 1024;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mix(x: number, salt: number): string {
  let out = "";
  let h = (x ^ salt) >>> 0;
  for (let i = 0; i < 4; i++) {
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35 + i) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
    out += h.toString(16).padStart(8, "0");
  }
  return out;
}

export interface GeneratedInventory {
  dir: string;
  manifest: InventoryManifest;
  rows: number;
  /** Rows whose content an earlier row already holds (≥ 1 MiB): what a perfect detector finds. */
  duplicateCopies: number;
}

export function contentOfKey(key: string): number {
  const at = key.lastIndexOf("/c");
  return Number(key.slice(at + 2, key.indexOf("-r", at)));
}

/** Writes `rows` rows into files of `rowsPerFile` under `dir`; returns the manifest. */
export async function generateInventory(options: {
  dir: string;
  rows: number;
  rowsPerFile?: number;
  seed?: number;
  bucket?: string;
}): Promise<GeneratedInventory> {
  const { dir, rows } = options;
  const rowsPerFile = options.rowsPerFile ?? 1_000_000;
  const bucket = options.bucket ?? "ml-data";
  const rand = mulberry32(options.seed ?? 42);
  await mkdir(join(dir, "data"), { recursive: true });
  // Earlier contents of ≥ 1 MiB that copies draw from (content id and size), bounded.
  const poolIds = new Int32Array(1 << 16);
  const poolSizes = new Float64Array(1 << 16);
  let poolN = 0;
  let duplicateCopies = 0;
  const files: InventoryManifest["files"] = [];
  for (let f = 0; f * rowsPerFile < rows; f++) {
    const key = `data/part-${String(f).padStart(5, "0")}.csv.gz`;
    const gzip = createGzip({ level: 1 });
    const out = createWriteStream(join(dir, key));
    gzip.pipe(out);
    let batch = "";
    const end = Math.min(rows, (f + 1) * rowsPerFile);
    for (let r = f * rowsPerFile; r < end; r++) {
      const u = rand();
      let content = r;
      let size: number;
      if (u < 0.6) size = Math.floor(1024 * 1024 ** rand());
      else if (u < 0.9) size = Math.floor(MIB * 10240 ** rand());
      else if (u < 0.95) size = 256 * MIB + Math.floor(rand() * 50) * 4096;
      else if (poolN > 0) {
        const i = Math.floor(rand() * Math.min(poolN, poolIds.length));
        content = poolIds[i] as number;
        size = poolSizes[i] as number;
        duplicateCopies++;
      } else size = 2 * MIB;
      if (content === r && size >= MIB) {
        const slot = poolN < poolIds.length ? poolN : Math.floor(rand() * poolIds.length);
        poolIds[slot] = r;
        poolSizes[slot] = size;
        poolN++;
      }
      const m = rand();
      const encryption = m < 0.1 ? "SSE-S3" : m < 0.18 ? "SSE-KMS" : "NOT-SSE";
      const multipart = size > 64 * MIB;
      const partSize = rand() < 0.5 ? 8 * MIB : 16 * MIB;
      const etag =
        encryption === "SSE-KMS"
          ? mix(r, 0x4b4d53)
          : multipart
            ? `${mix(content, partSize)}-${Math.ceil(size / partSize)}`
            : mix(content, 0x6d6435);
      const storageClass = rand() < 0.8 ? "STANDARD" : "STANDARD_IA";
      const day = 1 + (r % 28);
      batch += `"${bucket}","runs/${r % 997}/c${content}-r${r}.bin","${size}","2026-03-${day < 10 ? `0${day}` : day}T00:00:00.000Z","${etag}","${storageClass}","${multipart}","${encryption}","","",""\n`;
      if (batch.length > 1 << 20) {
        if (!gzip.write(batch)) await once(gzip, "drain");
        batch = "";
      }
    }
    gzip.end(batch);
    await once(out, "finish");
    files.push({ key, size: 0, MD5checksum: "" });
  }
  const manifest: InventoryManifest = {
    sourceBucket: bucket,
    destinationBucket: "arn:aws:s3:::ml-inventory",
    fileFormat: "CSV",
    fileSchema: GENERATED_SCHEMA,
    files,
  };
  await writeFile(join(dir, "manifest.json"), JSON.stringify(manifest, null, 2));
  return { dir, manifest, rows, duplicateCopies };
}
