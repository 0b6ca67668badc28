/**
 * `s3-duplicates` — groups of S3 objects with identical content, within and across the buckets
 * and prefixes the policy names: ML teams store the same weights and datasets many times.
 *
 * Equality must be proven (shared/s3/duplicates.ts): our own MD5 of the content, an ETag that is
 * an MD5 (single-part, unencrypted or SSE-S3), or a strong S3 checksum of the same algorithm and
 * type. A group that cannot be proven (multipart or SSE-KMS ETags that happen to match, a CRC32,
 * an object past the run's byte budget) is reported as probable, low confidence, and never
 * offered for deletion. The loader (shared/aws/s3-object-source.ts) has read each scoped bucket
 * from a listing, its S3 Inventory or Athena (docs/decisions/011), then done the HEADs and hashing
 * (shared/aws/s3-objects.ts); this function only groups and judges. Each copy's evidence names
 * its source.
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
 *     # Where the objects come from (docs/decisions/011): a fresh CSV S3 Inventory when the
 *     # bucket has one, else a listing up to listingMaxObjects, Athena past athenaAboveObjects.
 *     inventoryMaxAgeHours: 48
 *     listingMaxObjects: 2000000
 *     athenaAboveObjects: 50000000
 *     athena: { workgroup: primary, database: ml_janitor, outputLocation: s3://ml-athena-results/janitor/ }
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
import type { Finding, Tags } from "../types.ts";
import { findingId } from "../util/ids.ts";
import { exclusionReason, isProduction, ownerFromTags } from "./common.ts";
import type { Inventory } from "./inventory.ts";
import type { Detector, DetectorContext, DetectResult } from "./types.ts";
import { roundUsd } from "./utilisation.ts";

const MIB = 1024 * 1024;

/** Where Athena runs the duplicate query over a bucket's S3 Inventory. */
export const s3DuplicatesAthena = z.strictObject({
  /** The Athena workgroup (its settings may force the output location and encryption). */
  workgroup: z.string().min(1),
  /** The Glue database holding (or to hold) the inventory table. */
  database: z.string().regex(/^[A-Za-z0-9_]+$/, "letters, digits and _ only"),
  /** `s3://bucket/prefix/` for query results; omit when the workgroup sets one. */
  outputLocation: z
    .string()
    .regex(/^s3:\/\/[^/]+(\/.*)?$/, "an s3://bucket/prefix/ location")
    .optional(),
  /**
   * An existing inventory table (AWS's documented CSV inventory DDL, partitioned by `dt`);
   * omitted, the scan creates `ml_janitor_inventory_<bucket>_<config>` over the hive location.
   */
  table: z
    .string()
    .regex(/^[A-Za-z0-9_]+$/, "letters, digits and _ only")
    .optional(),
});

export const s3DuplicatesParams = z
  .strictObject({
    /** `bucket` or `bucket/prefix` entries; empty = every bucket of the region. */
    scope: z.array(z.string().min(1)).default([]),
    /** Objects smaller than this are ignored (the loader's floor is 1 MiB). */
    minSizeBytes: z.number().int().min(MIB).default(MIB),
    /** `bucket/prefix` locations whose copy is kept, in order of preference (e.g. the model registry). */
    preferredKeepPrefixes: z.array(z.string().min(1)).default([]),
    /** An S3 Inventory older than this is not used (daily inventories: two days of slack). */
    inventoryMaxAgeHours: z.number().positive().default(48),
    /**
     * A bucket with no usable inventory is listed only up to this many objects (CloudWatch's
     * daily NumberOfObjects); past it the bucket is skipped with a note to configure S3 Inventory.
     */
    listingMaxObjects: z.number().int().positive().default(2_000_000),
    /** An inventory of more objects than this is queried with Athena (when `athena` is set). */
    athenaAboveObjects: z.number().int().positive().default(50_000_000),
    /** Athena settings; without them, a huge inventory is streamed if the Lambda can finish. */
    athena: s3DuplicatesAthena.optional(),
  })
  .default({
    scope: [],
    minSizeBytes: MIB,
    preferredKeepPrefixes: [],
    inventoryMaxAgeHours: 48,
    listingMaxObjects: 2_000_000,
    athenaAboveObjects: 50_000_000,
  });

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

/** What the scan knows of each bucket (its tags), and why a copy must stay whatever happens. */
interface Buckets {
  tags(bucket: string): Tags;
  /** "protect tag …" / "production bucket (…)": such copies are never deleted. */
  guard(o: S3ObjectRecord): string | undefined;
}

function bucketsOf(inventory: Inventory, ctx: Ctx): Buckets {
  const byName = new Map(inventory.buckets.map((b) => [b.name, b.tags]));
  const tags = (bucket: string): Tags => byName.get(bucket) ?? {};
  return {
    tags,
    guard(o) {
      const t = tags(o.bucket);
      const protect = t[ctx.tags.protectTag];
      if (protect !== undefined && protect !== "false")
        return `protect tag ${ctx.tags.protectTag} on bucket ${o.bucket}`;
      if (isProduction(t, ctx.tags)) {
        return `production bucket ${o.bucket} (${ctx.tags.production.tag}=${t[ctx.tags.production.tag]})`;
      }
      return undefined;
    },
  };
}

function groupFinding(g: ObjectGroup, ctx: Ctx, buckets: Buckets): Finding {
  const kept = keepCopy(g.members, ctx.params.preferredKeepPrefixes, (o) => buckets.guard(o) !== undefined);
  const region = kept.region;
  const others = g.members.filter((o) => o !== kept);
  const locked = others.filter((o) => o.locked);
  const guarded = others.filter((o) => !o.locked && buckets.guard(o) !== undefined);
  const deletable = g.proven ? others.filter((o) => !o.locked && buckets.guard(o) === undefined) : [];
  // The owner is whoever owns the copies that would go (else the kept copy's bucket).
  const ownerBucket = (deletable[0] ?? kept).bucket;
  const resourceTags = buckets.tags(ownerBucket);
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
    resource: { type: "s3:object", id: `s3://${path(kept)}`, arn, region, tags: resourceTags },
    owner: ownerFromTags(resourceTags, ctx.tags),
    reason,
    evidence: {
      size: g.size,
      proven: g.proven,
      proof: describeProof(g),
      proofMethod: g.method,
      keep: { bucket: kept.bucket, key: kept.key, reason: keepReason(kept, ctx, buckets) },
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
        ...(o.source ? { source: o.source } : {}),
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
      ...(guarded.length > 0
        ? { protectedCopies: guarded.map((o) => ({ copy: path(o), why: buckets.guard(o) })) }
        : {}),
      ownerBucket,
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

function keepReason(kept: S3ObjectRecord, ctx: Ctx, buckets: Buckets): string {
  const p = ctx.params.preferredKeepPrefixes.find((x) => path(kept).startsWith(x.replace(/^s3:\/\//, "")));
  if (p) return `under preferred prefix ${p}`;
  const guard = buckets.guard(kept);
  return guard ? `stays anyway: ${guard}` : "oldest copy";
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
    // S3 Inventory and the object counts that choose between inventory, listing and Athena.
    "s3:GetInventoryConfiguration",
    "cloudwatch:GetMetricData",
    // Athena over the inventory table (the DDL goes through the Glue catalog).
    "athena:StartQueryExecution",
    "athena:GetQueryExecution",
    "athena:GetQueryResults",
    "athena:StopQueryExecution",
    "glue:GetDatabase",
    "glue:GetTable",
    "glue:CreateTable",
    // Athena checks the output location's bucket; writing results there (s3:PutObject) is not
    // a scan permission: see docs/decisions/011 for how the role grants it.
    "s3:GetBucketLocation",
    // Bucket tags (owner, protect and production tags), read in bulk.
    "tag:GetResources",
  ],
  actions: ["delete"],
  // Buckets for their tags: owner, and the protected/production copies that are never deleted.
  inventory: ["s3Objects", "buckets"],

  metricRequests: () => [],

  detect(inventory, _metrics, ctx): DetectResult {
    const result: DetectResult = { findings: [], excluded: [], unknown: [] };
    const buckets = bucketsOf(inventory, ctx);
    const objects = inventory.s3Objects.filter((o) => {
      if (!inScope(o, ctx.params.scope)) return false;
      // A protected or production bucket's copies stay in their groups (they are copies), never deleted.
      if (buckets.guard(o)) return true;
      const why = exclusionReason(path(o), buckets.tags(o.bucket), ctx.tags, ctx.exclude);
      if (why) result.excluded.push({ resource: `s3://${path(o)}`, reason: why });
      return why === undefined;
    });
    for (const g of duplicateGroups(objects, ctx.params.minSizeBytes)) {
      result.findings.push(groupFinding(g, ctx, buckets));
    }
    return result;
  },
};
