/**
 * `s3-stale-multipart` — incomplete multipart uploads older than N days: their parts are billed
 * as storage and never become an object. One finding per bucket, with the uploads, their bytes
 * and $ per month, and the lifecycle rule that aborts them from now on
 * (`AbortIncompleteMultipartUpload` after N days). The `abort-multipart` action aborts them and
 * adds that rule; the finding's resource is the bucket's uploads (`s3:multipart-uploads`), so it
 * does not clash with `apply-lifecycle` on the bucket itself.
 *
 * Example policy:
 * ```yaml
 * - name: stale-multipart-uploads
 *   type: s3-stale-multipart
 *   mode: enforce
 *   timeoutAction: none
 *   params: { minAgeDays: 7 }
 * ```
 */
import { z } from "zod";
import { s3Monthly } from "../pricing/monthly-cost.ts";
import { PRICES_AS_OF } from "../pricing/price-table.ts";
import { DAY_MS } from "../util/duration.ts";
import { findingId } from "../util/ids.ts";
import { exclusionReason, ownerFromTags } from "./common.ts";
import type { MultipartUploadInfo } from "./inventory.ts";
import type { Detector, DetectResult } from "./types.ts";
import { roundUsd } from "./utilisation.ts";

export const s3StaleMultipartParams = z
  .strictObject({
    /** Uploads initiated at least this many days ago are stale. */
    minAgeDays: z.number().int().min(1).max(365).default(7),
  })
  .default({ minAgeDays: 7 });

export type S3StaleMultipartParams = z.infer<typeof s3StaleMultipartParams>;

/** Listed in the evidence; the totals count every stale upload. */
const MAX_LISTED = 50;

export const s3StaleMultipart: Detector<S3StaleMultipartParams> = {
  type: "s3-stale-multipart",
  summary: "Incomplete S3 multipart uploads older than N days, billed for parts nobody will use",
  params: s3StaleMultipartParams,
  permissions: [
    "s3:ListAllMyBuckets",
    "s3:ListBucketMultipartUploads",
    "s3:ListMultipartUploadParts",
    "tag:GetResources",
  ],
  actions: ["delete"],
  // Buckets for their tags: the owner, and the protect tag / exclusions by tag.
  inventory: ["multipartUploads", "buckets"],

  metricRequests: () => [],

  detect(inventory, _metrics, ctx): DetectResult {
    const result: DetectResult = { findings: [], excluded: [], unknown: [] };
    const bucketTags = new Map(inventory.buckets.map((b) => [b.name, b.tags]));
    const tagsOf = (bucket: string) => bucketTags.get(bucket) ?? {};
    const byBucket = new Map<string, MultipartUploadInfo[]>();
    for (const u of inventory.multipartUploads) {
      const ageDays = (ctx.now.getTime() - u.initiated.getTime()) / DAY_MS;
      if (ageDays < ctx.params.minAgeDays) continue;
      const why = exclusionReason(u.bucket, tagsOf(u.bucket), ctx.tags, ctx.exclude);
      if (why) {
        result.excluded.push({ resource: `s3://${u.bucket}/${u.key}?uploadId=${u.uploadId}`, reason: why });
        continue;
      }
      byBucket.set(u.bucket, [...(byBucket.get(u.bucket) ?? []), u]);
    }
    for (const [bucket, uploads] of byBucket) {
      const sorted = [...uploads].sort((a, b) => b.bytes - a.bytes);
      const bytes = sorted.reduce((n, u) => n + u.bytes, 0);
      const monthly = sorted.reduce((n, u) => n + (s3Monthly(u.storageClass, u.bytes, u.region) ?? 0), 0);
      const oldest = sorted.reduce((a, u) => (u.initiated < a ? u.initiated : a), ctx.now);
      const region = sorted[0]?.region ?? "us-east-1";
      const arn = `arn:aws:s3:::${bucket}`;
      const days = ctx.params.minAgeDays;
      result.findings.push({
        id: findingId("s3-stale-multipart", arn),
        detector: "s3-stale-multipart",
        policy: ctx.policy,
        resource: { type: "s3:multipart-uploads", id: bucket, arn, region, tags: tagsOf(bucket) },
        owner: ownerFromTags(tagsOf(bucket), ctx.tags),
        reason: `${sorted.length} incomplete multipart upload(s) older than ${days} days hold ${(bytes / 1024 ** 3).toFixed(2)} GiB in ${bucket}, billed for nothing`,
        evidence: {
          uploads: sorted.slice(0, MAX_LISTED).map((u) => ({
            key: u.key,
            uploadId: u.uploadId,
            initiated: u.initiated.toISOString(),
            ageDays: Math.floor((ctx.now.getTime() - u.initiated.getTime()) / DAY_MS),
            parts: u.parts,
            bytes: u.bytes,
            storageClass: u.storageClass,
          })),
          uploadCount: sorted.length,
          totalBytes: bytes,
          oldestInitiated: oldest.toISOString(),
          minAgeDays: days,
          proposedLifecycleRule: {
            ID: `janitor-abort-incomplete-multipart-${days}d`,
            Status: "Enabled",
            Filter: {},
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: days },
          },
          pricesAsOf: PRICES_AS_OF,
        },
        confidence: "high",
        monthlyCostUsd: roundUsd(monthly),
        proposedAction: "delete",
      });
    }
    return result;
  },
};
