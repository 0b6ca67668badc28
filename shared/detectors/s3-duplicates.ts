/**
 * `s3-duplicates` — groups of S3 objects with identical content, within and across the buckets
 * and prefixes the policy names: ML teams store the same weights and datasets many times.
 *
 * Equality must be proven (shared/s3/duplicates.ts): our own MD5 of the content, an ETag that is
 * an MD5 (single-part, unencrypted or SSE-S3), or a strong S3 checksum of the same algorithm and
 * type. A group that cannot be proven (multipart or SSE-KMS ETags that happen to match, a CRC32,
 * an object past the run's byte budget) is reported as probable, low confidence, and never
 * offered for deletion. The loader (shared/aws/s3-objects.ts) has done the listing, HEADs and
 * hashing; this function only groups and judges.
 *
 * Which copy stays: the first `preferredKeepPrefixes` entry that holds a copy, else the oldest.
 * Copies under Object Lock or legal hold are never deleted. In a versioned bucket a delete only
 * adds a delete marker: the bytes stay billed as a noncurrent version until a lifecycle rule
 * expires them, so such copies count as waste but not as a saving.
 *
 * Example policy:
 * ```yaml
 * - name: duplicate-model-weights
 *   type: s3-duplicates
 *   mode: report
 *   params:
 *     scope: [ml-models-prod, ml-experiments/runs/]
 *     minSizeBytes: 1048576
 *     preferredKeepPrefixes: [ml-models-prod/registry/]
 * ```
 */
import { z } from "zod";
import { s3Monthly } from "../pricing/monthly-cost.ts";
import { PRICES_AS_OF } from "../pricing/price-table.ts";
import {
  duplicateGroups,
  keepCopy,
  type ObjectGroup,
  proofKey,
  type S3ObjectRecord,
} from "../s3/duplicates.ts";
import type { Finding } from "../types.ts";
import { findingId } from "../util/ids.ts";
import { exclusionReason } from "./common.ts";
import type { Detector, DetectorContext, DetectResult } from "./types.ts";
import { roundUsd } from "./utilisation.ts";

const MIB = 1024 * 1024;

export const s3DuplicatesParams = z
  .strictObject({
    /** `bucket` or `bucket/prefix` entries; empty = every bucket of the region. */
    scope: z.array(z.string().min(1)).default([]),
    /** Objects smaller than this are ignored (the loader's floor is 1 MiB). */
    minSizeBytes: z.number().int().min(MIB).default(MIB),
    /** `bucket/prefix` locations whose copy is kept, in order of preference (e.g. the model registry). */
    preferredKeepPrefixes: z.array(z.string().min(1)).default([]),
  })
  .default({ scope: [], minSizeBytes: MIB, preferredKeepPrefixes: [] });

export type S3DuplicatesParams = z.infer<typeof s3DuplicatesParams>;

type Ctx = DetectorContext<S3DuplicatesParams>;

const path = (o: S3ObjectRecord): string => `${o.bucket}/${o.key}`;

function inScope(o: S3ObjectRecord, scope: readonly string[]): boolean {
  if (scope.length === 0) return true;
  return scope.some((s) => {
    const entry = s.replace(/^s3:\/\//, "");
    return entry.includes("/") ? path(o).startsWith(entry) : o.bucket === entry;
  });
}

const monthly = (o: S3ObjectRecord, region: string): number => s3Monthly(o.storageClass, o.size, region) ?? 0;

function describeProof(g: ObjectGroup): string {
  switch (g.method) {
    case "content-md5":
      return "MD5 of the content, computed by the scan";
    case "etag-md5":
      return "ETags that are MD5s (single-part, unencrypted or SSE-S3), with the scan's own MD5 for any multipart or KMS copy";
    case "checksum":
      return "S3 checksums of the same strong algorithm and type";
    case "probable-crc":
      return "same size and CRC32/CRC32C checksum only: too weak to prove equality";
    case "probable-etag":
      return "same size and ETag, but the ETag is not an MD5 (multipart or KMS) and the content was not hashed";
  }
}

function groupFinding(g: ObjectGroup, region: string, ctx: Ctx): Finding {
  const kept = keepCopy(g.members, ctx.params.preferredKeepPrefixes);
  const others = g.members.filter((o) => o !== kept);
  const locked = others.filter((o) => o.locked);
  const deletable = g.proven ? others.filter((o) => !o.locked) : [];
  const versionedDeletable = deletable.filter((o) => o.versioned);
  const wasteUsd = others.reduce((sum, o) => sum + monthly(o, region), 0);
  const savingUsd = deletable.filter((o) => !o.versioned).reduce((sum, o) => sum + monthly(o, region), 0);
  const byClass: Record<string, number> = {};
  for (const o of others)
    byClass[o.storageClass] = roundUsd((byClass[o.storageClass] ?? 0) + monthly(o, region));
  const wastedBytes = g.size * others.length;
  const groupKey = g.members.map((o) => proofKey(o)?.key ?? `etag:${o.etag}`).sort()[0];
  const arn = `arn:aws:s3:::${path(kept)}`;
  const gib = (wastedBytes / 1024 ** 3).toFixed(2);
  const reason = g.proven
    ? `${g.members.length} identical copies of ${path(kept)} (${g.size} bytes): ${gib} GiB stored ${others.length} extra time(s)`
    : `${g.members.length} objects of ${g.size} bytes look identical to ${path(kept)} but equality is not proven: review only`;
  return {
    id: findingId("s3-duplicates", `${g.size}:${groupKey}`),
    detector: "s3-duplicates",
    policy: ctx.policy,
    resource: { type: "s3:object", id: `s3://${path(kept)}`, arn, region, tags: {} },
    owner: {},
    reason,
    evidence: {
      size: g.size,
      proven: g.proven,
      proof: describeProof(g),
      proofMethod: g.method,
      keep: { bucket: kept.bucket, key: kept.key, reason: keepReason(kept, ctx) },
      copies: g.members.map((o) => ({
        bucket: o.bucket,
        key: o.key,
        storageClass: o.storageClass,
        etag: o.etag,
        lastModified: o.lastModified.toISOString(),
        ...(o.encryption ? { encryption: o.encryption } : {}),
        ...(o.versionId ? { versionId: o.versionId } : {}),
        ...(o.versioned ? { versioned: true } : {}),
        ...(o.locked ? { locked: true } : {}),
        ...(o.checksum ? { checksum: `${o.checksum.algorithm}/${o.checksum.type}` } : {}),
        ...(o.notHashed ? { notHashed: o.notHashed } : {}),
      })),
      toDelete: deletable.map((o) => ({
        bucket: o.bucket,
        key: o.key,
        etag: o.etag,
        ...(o.versionId ? { versionId: o.versionId } : {}),
      })),
      ...(locked.length > 0
        ? { lockedCopies: locked.map(path), lockedNote: "Object Lock or legal hold: never deleted" }
        : {}),
      ...(versionedDeletable.length > 0
        ? {
            versionedNote:
              "deleting in a versioned bucket adds a delete marker; the bytes stay billed as a noncurrent version until a lifecycle rule expires them",
          }
        : {}),
      wastedBytes,
      monthlyWasteUsdByStorageClass: byClass,
      monthlySavingOnDeleteUsd: roundUsd(savingUsd),
      pricesAsOf: PRICES_AS_OF,
    },
    confidence: g.proven ? (deletable.length > 0 ? "high" : "medium") : "low",
    monthlyCostUsd: roundUsd(wasteUsd),
    proposedAction: deletable.length > 0 ? "delete" : "none",
  };
}

function keepReason(kept: S3ObjectRecord, ctx: Ctx): string {
  const p = ctx.params.preferredKeepPrefixes.find((x) => path(kept).startsWith(x.replace(/^s3:\/\//, "")));
  return p ? `under preferred prefix ${p}` : "oldest copy";
}

export const s3Duplicates: Detector<S3DuplicatesParams> = {
  type: "s3-duplicates",
  summary: "S3 objects stored more than once with provably identical content",
  params: s3DuplicatesParams,
  permissions: [
    "s3:ListAllMyBuckets",
    "s3:ListBucket",
    "s3:GetBucketVersioning",
    "s3:GetObject",
    "s3:GetObjectVersion",
    "s3:GetObjectAttributes",
    "s3:GetObjectRetention",
    "s3:GetObjectLegalHold",
  ],
  actions: ["delete"],
  inventory: ["s3Objects"],

  metricRequests: () => [],

  detect(inventory, _metrics, ctx): DetectResult {
    const result: DetectResult = { findings: [], excluded: [], unknown: [] };
    const objects = inventory.s3Objects.filter((o) => {
      if (!inScope(o, ctx.params.scope)) return false;
      const why = exclusionReason(path(o), {}, ctx.tags, ctx.exclude);
      if (why) result.excluded.push({ resource: `s3://${path(o)}`, reason: why });
      return why === undefined;
    });
    for (const g of duplicateGroups(objects, ctx.params.minSizeBytes)) {
      const kept = keepCopy(g.members, ctx.params.preferredKeepPrefixes);
      result.findings.push(groupFinding(g, kept.region, ctx));
    }
    return result;
  },
};
