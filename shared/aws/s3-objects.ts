/**
 * The `s3Objects` inventory, by listing: every bucket's keys (ListObjectsV2, 1,000 per page,
 * buckets in parallel with bounded concurrency), reduced at once to duplicate candidates (sizes
 * that occur more than once, at or above a floor), then for candidates only: a HEAD with
 * checksum mode (encryption, checksum, Object Lock, version id) and, where neither the ETag nor
 * a strong checksum proves the content, an MD5 of the streamed content within a byte budget.
 * Detectors get plain records and decide nothing here is waste.
 */
import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import {
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  paginateListObjectsV2,
  type S3Client,
} from "@aws-sdk/client-s3";
import pLimit from "p-limit";
import { candidateSizes, etagIsMd5, proofKey, type S3ObjectRecord } from "../s3/duplicates.ts";

export interface S3ObjectsOptions {
  /** Objects smaller than this are never candidates. */
  minSize: number;
  /** Bytes this run may download to hash content; objects past it stay unproven. */
  byteBudget: number;
  /** Parallel listings, HEADs and downloads. */
  concurrency: number;
  /**
   * HEADs this run may send (largest candidates first; default 100,000 ≈ 3 minutes at 8 in
   * flight): an inventory of tens of millions of objects can hold far more multipart/KMS
   * candidates than a Lambda can HEAD. The rest stay unproven (`notHashed` says why).
   */
  maxHeads?: number;
}

export const DEFAULT_S3_OBJECTS_OPTIONS: S3ObjectsOptions = {
  minSize: 1024 * 1024,
  byteBudget: 10 * 1024 ** 3,
  concurrency: 8,
};

const DEFAULT_MAX_HEADS = 100_000;

const unquote = (etag: string | undefined): string => (etag ?? "").replace(/^"|"$/g, "");

export async function listObjects(
  client: S3Client,
  bucket: string,
  region: string,
  prefix?: string,
): Promise<S3ObjectRecord[]> {
  const out: S3ObjectRecord[] = [];
  for await (const page of paginateListObjectsV2(
    { client, pageSize: 1000 },
    { Bucket: bucket, ...(prefix ? { Prefix: prefix } : {}) },
  )) {
    for (const o of page.Contents ?? []) {
      if (!o.Key) continue;
      out.push({
        bucket,
        region,
        key: o.Key,
        size: o.Size ?? 0,
        etag: unquote(o.ETag),
        lastModified: o.LastModified ?? new Date(0),
        storageClass: o.StorageClass ?? "STANDARD",
      });
    }
  }
  return out;
}

export async function bucketVersioned(client: S3Client, bucket: string): Promise<boolean> {
  const out = await client.send(new GetBucketVersioningCommand({ Bucket: bucket }));
  // A suspended bucket still holds the versions written while it was enabled.
  return out.Status === "Enabled" || out.Status === "Suspended";
}

function checksumOf(h: HeadObjectCommandOutput): S3ObjectRecord["checksum"] {
  const type = h.ChecksumType === "COMPOSITE" ? "COMPOSITE" : "FULL_OBJECT";
  const pairs: Array<[string, string | undefined]> = [
    ["SHA256", h.ChecksumSHA256],
    ["SHA1", h.ChecksumSHA1],
    ["CRC64NVME", h.ChecksumCRC64NVME],
    ["CRC32C", h.ChecksumCRC32C],
    ["CRC32", h.ChecksumCRC32],
  ];
  for (const [algorithm, value] of pairs) if (value) return { algorithm, type, value };
  return undefined;
}

/** Encryption, checksum, lock and version of one object (HEAD with checksum mode). */
export async function headObject(client: S3Client, o: S3ObjectRecord): Promise<S3ObjectRecord> {
  const h = await client.send(
    new HeadObjectCommand({ Bucket: o.bucket, Key: o.key, ChecksumMode: "ENABLED" }),
  );
  const sse = h.ServerSideEncryption;
  const encryption = h.SSECustomerAlgorithm
    ? "SSE-C"
    : sse === "aws:kms"
      ? "SSE-KMS"
      : sse === "aws:kms:dsse"
        ? "DSSE-KMS"
        : sse === "AES256"
          ? "SSE-S3"
          : "NONE";
  const locked =
    h.ObjectLockLegalHoldStatus === "ON" ||
    (h.ObjectLockMode !== undefined && (h.ObjectLockRetainUntilDate?.getTime() ?? 0) > Date.now());
  const checksum = checksumOf(h);
  return {
    ...o,
    etag: unquote(h.ETag) || o.etag,
    encryption,
    locked,
    ...(checksum ? { checksum } : {}),
    ...(h.VersionId && h.VersionId !== "null" ? { versionId: h.VersionId } : {}),
  };
}

/** MD5 of the object's content, streamed (never held in memory). */
export async function md5OfObject(client: S3Client, o: S3ObjectRecord): Promise<string> {
  const out = await client.send(new GetObjectCommand({ Bucket: o.bucket, Key: o.key }));
  const hash = createHash("md5");
  for await (const chunk of out.Body as Readable) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** A bucket and the prefixes to list in it (`""` = the whole bucket). */
export interface ListTarget {
  bucket: string;
  prefixes: readonly string[];
}

/**
 * Every object under the targets (source `listing`), and whether each bucket keeps versions.
 */
export async function listTargets(
  client: S3Client,
  targets: readonly ListTarget[],
  region: string,
  concurrency: number,
): Promise<{ objects: S3ObjectRecord[]; versioned: Map<string, boolean> }> {
  const limit = pLimit(concurrency);
  const versioned = new Map<string, boolean>();
  const listed = await Promise.all(
    targets.flatMap((t) => [
      limit(async () => {
        versioned.set(t.bucket, await bucketVersioned(client, t.bucket));
        return [];
      }),
      ...t.prefixes.map((prefix) => limit(() => listObjects(client, t.bucket, region, prefix))),
    ]),
  );
  return { objects: listed.flat().map((o) => ({ ...o, source: "listing" })), versioned };
}

/**
 * Candidate objects of `buckets`, with what proves their content. Hashing goes to the size
 * classes that need it (a member with no MD5, next to others), largest waste first, until the
 * budget is spent; the rest carry `notHashed`.
 */
export async function loadS3Objects(
  client: S3Client,
  buckets: readonly string[],
  region: string,
  options: S3ObjectsOptions = DEFAULT_S3_OBJECTS_OPTIONS,
): Promise<S3ObjectRecord[]> {
  const { objects, versioned } = await listTargets(
    client,
    buckets.map((bucket) => ({ bucket, prefixes: [""] })),
    region,
    options.concurrency,
  );
  const sizes = candidateSizes(
    objects.map((o) => o.size),
    options.minSize,
  );
  return proveCandidates(
    client,
    objects.filter((o) => sizes.has(o.size)),
    versioned,
    options,
  );
}

/**
 * What proves each candidate's content, whatever produced it (a listing, an inventory, Athena):
 * a HEAD with checksum mode for those whose ETag does not prove it or whose encryption is not
 * known yet (every listed object, an inventory's multipart and KMS ones), then an MD5 of the
 * content for the size classes that still need one, largest first, within the byte budget.
 * `versioned` says which buckets keep versions (GetBucketVersioning).
 */
export async function proveCandidates(
  client: S3Client,
  candidates: readonly S3ObjectRecord[],
  versioned: ReadonlyMap<string, boolean>,
  options: S3ObjectsOptions,
): Promise<S3ObjectRecord[]> {
  const limit = pLimit(options.concurrency);
  const maxHeads = options.maxHeads ?? DEFAULT_MAX_HEADS;
  const needHead = candidates.filter((o) => !(o.encryption !== undefined && etagIsMd5(o)));
  const needsHead = new Set(needHead);
  const toHead = new Set(
    needHead.length <= maxHeads ? needHead : [...needHead].sort((a, b) => b.size - a.size).slice(0, maxHeads),
  );
  const headed = await Promise.all(
    candidates.map((o) => {
      const known = { ...o, versioned: versioned.get(o.bucket) ?? o.versioned ?? false };
      if (!needsHead.has(o)) return known;
      if (!toHead.has(o)) return { ...known, notHashed: `HEAD budget of ${maxHeads} objects spent` };
      return limit(async () => ({ ...(await headObject(client, o)), versioned: known.versioned }));
    }),
  );
  const toHash = new Set(needsHash(headed).sort((a, b) => b.size - a.size));
  let budget = options.byteBudget;
  const chosen = new Set<S3ObjectRecord>();
  for (const o of toHash) {
    if (o.size > budget) continue;
    budget -= o.size;
    chosen.add(o);
  }
  return Promise.all(
    headed.map((o) => {
      if (chosen.has(o)) return limit(async () => ({ ...o, contentMd5: await md5OfObject(client, o) }));
      if (toHash.has(o))
        return { ...o, notHashed: o.notHashed ?? `byte budget of ${options.byteBudget} bytes spent` };
      return o;
    }),
  );
}

/**
 * Objects whose content must be hashed to compare them with the rest of their size class: no
 * MD5 ETag, and either no strong checksum or a class whose members cannot all be compared by
 * the same checksum algorithm and type.
 */
export function needsHash(objects: readonly S3ObjectRecord[]): S3ObjectRecord[] {
  const bySize = new Map<number, S3ObjectRecord[]>();
  for (const o of objects) bySize.set(o.size, [...(bySize.get(o.size) ?? []), o]);
  const out: S3ObjectRecord[] = [];
  for (const members of bySize.values()) {
    if (members.length < 2) continue;
    const noMd5 = members.filter((o) => !etagIsMd5(o));
    if (noMd5.length === 0) continue;
    const keys = new Set(members.map((o) => proofKey(o)?.key.split(":").slice(0, 2).join(":") ?? "none"));
    // Everyone proven by the same checksum algorithm and type: comparable without a download.
    if (keys.size === 1 && !keys.has("none") && members.every((o) => proofKey(o)?.method === "checksum"))
      continue;
    out.push(...noMd5);
  }
  return out;
}
