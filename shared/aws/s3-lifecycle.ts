/**
 * Bucket lifecycle calls: the `bucketLifecycles` inventory (each bucket's rules, versioning,
 * and — for buckets whose rules neither transition nor expire current objects — an age profile
 * aggregated while listing), and the reads and writes the lifecycle actions make.
 *
 * The listing is ListObjectsV2 at 1,000 keys per page, buckets in parallel under a p-limit, at
 * most `maxKeysPerBucket` keys per bucket (the profile says when the cap stopped it). Keys are
 * never kept: each page is folded into the profile and dropped.
 */
import {
  DeleteBucketLifecycleCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketVersioningCommand,
  ListObjectsV2Command,
  PutBucketLifecycleConfigurationCommand,
  type S3Client,
  type LifecycleRule as SdkLifecycleRule,
} from "@aws-sdk/client-s3";
import pLimit from "p-limit";
import { AgeProfileBuilder, type BucketLifecycleInfo } from "../s3/age-profile.ts";
import { actsOnCurrentObjects, type LifecycleConfiguration, type LifecycleRule } from "../s3/lifecycle.ts";
import { listBuckets } from "./bucket-inventory.ts";

export interface LifecycleLoadOptions {
  concurrency?: number;
  /** Keys listed per bucket at most; past it the profile is marked incomplete. */
  maxKeysPerBucket?: number;
  /** The time ages are measured from (tests pass one; a scan uses the clock). */
  now?: Date;
}

export const DEFAULT_MAX_KEYS_PER_BUCKET = 1_000_000;

/** The bucket's lifecycle configuration; null when it has none. */
export async function getLifecycle(client: S3Client, bucket: string): Promise<LifecycleConfiguration | null> {
  try {
    const out = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    return {
      // JSON round trip: dates become ISO strings, undefined fields go (the record is stored as is).
      Rules: JSON.parse(JSON.stringify(out.Rules ?? [])) as LifecycleRule[],
      ...(out.TransitionDefaultMinimumObjectSize
        ? { TransitionDefaultMinimumObjectSize: out.TransitionDefaultMinimumObjectSize }
        : {}),
    };
  } catch (err) {
    if ((err as Error).name === "NoSuchLifecycleConfiguration") return null;
    throw err;
  }
}

/** Replaces the bucket's whole lifecycle configuration (S3 has no per-rule call). */
export async function putLifecycle(
  client: S3Client,
  bucket: string,
  config: LifecycleConfiguration,
): Promise<void> {
  await client.send(
    new PutBucketLifecycleConfigurationCommand({
      Bucket: bucket,
      LifecycleConfiguration: { Rules: config.Rules.map(toSdkRule) },
      ...(config.TransitionDefaultMinimumObjectSize
        ? { TransitionDefaultMinimumObjectSize: config.TransitionDefaultMinimumObjectSize }
        : {}),
    }),
  );
}

/** Removes every lifecycle rule of the bucket (how a bucket that had none is put back). */
export async function deleteLifecycle(client: S3Client, bucket: string): Promise<void> {
  await client.send(new DeleteBucketLifecycleCommand({ Bucket: bucket }));
}

function toSdkRule(rule: LifecycleRule): SdkLifecycleRule {
  const date = (d: string | undefined) => (d === undefined ? {} : { Date: new Date(d) });
  const { Transitions, Expiration, ...rest } = rule;
  return {
    ...rest,
    ...(Transitions ? { Transitions: Transitions.map((t) => ({ ...t, ...date(t.Date) })) } : {}),
    ...(Expiration ? { Expiration: { ...Expiration, ...date(Expiration.Date) } } : {}),
  } as SdkLifecycleRule;
}

async function versioning(client: S3Client, bucket: string): Promise<BucketLifecycleInfo["versioning"]> {
  const out = await client.send(new GetBucketVersioningCommand({ Bucket: bucket }));
  return out.Status === "Enabled" || out.Status === "Suspended" ? out.Status : "Off";
}

async function listProfile(client: S3Client, bucket: string, now: Date, maxKeys: number) {
  const builder = new AgeProfileBuilder(now);
  let token: string | undefined;
  for (;;) {
    const page = await client.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        MaxKeys: Math.min(1000, maxKeys - builder.count),
        ...(token ? { ContinuationToken: token } : {}),
      }),
    );
    for (const o of page.Contents ?? []) {
      if (!o.Key) continue;
      builder.add(o.Key, o.Size ?? 0, o.LastModified ?? now, o.StorageClass ?? "STANDARD");
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
    if (!token) return builder.profile();
    if (builder.count >= maxKeys) return builder.profile(maxKeys);
  }
}

async function loadOne(
  client: S3Client,
  bucket: string,
  region: string,
  now: Date,
  maxKeys: number,
): Promise<BucketLifecycleInfo> {
  const base = { bucket, arn: `arn:aws:s3:::${bucket}`, region };
  try {
    const [lifecycle, status] = await Promise.all([getLifecycle(client, bucket), versioning(client, bucket)]);
    const info: BucketLifecycleInfo = { ...base, versioning: status, lifecycle };
    if ((lifecycle?.Rules ?? []).some(actsOnCurrentObjects)) return info;
    return { ...info, ageProfile: await listProfile(client, bucket, now, maxKeys) };
  } catch (err) {
    // One unreadable bucket (a bucket policy denying us) must not hide the others.
    const e = err as Error;
    return { ...base, versioning: "Off", lifecycle: null, error: `${e.name}: ${e.message}` };
  }
}

export async function loadBucketLifecycles(
  client: S3Client,
  buckets: readonly string[],
  region: string,
  options: LifecycleLoadOptions = {},
): Promise<BucketLifecycleInfo[]> {
  const limit = pLimit(options.concurrency ?? 8);
  const now = options.now ?? new Date();
  const maxKeys = options.maxKeysPerBucket ?? DEFAULT_MAX_KEYS_PER_BUCKET;
  if (!Number.isInteger(maxKeys) || maxKeys < 1)
    throw new RangeError(`maxKeysPerBucket must be ≥ 1, got ${maxKeys}`);
  return Promise.all(buckets.map((b) => limit(() => loadOne(client, b, region, now, maxKeys))));
}

/** Every bucket of the region (a bucket of another region is that region's scan's business). */
export async function loadRegionBucketLifecycles(
  client: S3Client,
  region: string,
  options: LifecycleLoadOptions = {},
): Promise<BucketLifecycleInfo[]> {
  const buckets = await listBuckets(client, region);
  const names = buckets.filter((b) => b.region === undefined || b.region === region).map((b) => b.name);
  return loadBucketLifecycles(client, names, region, options);
}
