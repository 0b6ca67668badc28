/**
 * Where the `s3Objects` inventory reads each bucket from, decided without calling AWS (the calls
 * live in shared/aws/s3-object-source.ts): what the policies ask for (the union of their scopes,
 * the smallest size floor), whether a bucket's S3 Inventory configuration can serve, and the
 * cut-over between a listing, the inventory streamed by the Lambda, and Athena over the inventory
 * (docs/decisions/011).
 */
import type { S3DuplicatesParams } from "../detectors/s3-duplicates.ts";

/** What one scan reads: the union of the `s3-duplicates` policies that run. */
export interface S3ScanPlan {
  /** Bucket → prefixes to read ("" = the whole bucket); `all` = every bucket of the region. */
  targets: "all" | Map<string, string[]>;
  minSize: number;
  /** The most tolerant of the policies' values: a bucket any policy may read is read. */
  inventoryMaxAgeHours: number;
  listingMaxObjects: number;
  athenaAboveObjects: number;
  athena?: NonNullable<S3DuplicatesParams["athena"]>;
}

const MIB = 1024 * 1024;

/** The plan for no policy params (a re-check, a caller that names no policy): every bucket. */
export const DEFAULT_S3_SCAN_PLAN: S3ScanPlan = {
  targets: "all",
  minSize: MIB,
  inventoryMaxAgeHours: 48,
  listingMaxObjects: 2_000_000,
  athenaAboveObjects: 50_000_000,
};

/** `bucket` or `bucket/prefix` (with or without `s3://`) as bucket and prefix ("" = all of it). */
export function scopeEntry(entry: string): { bucket: string; prefix: string } {
  const bare = entry.replace(/^s3:\/\//, "");
  const slash = bare.indexOf("/");
  return slash === -1
    ? { bucket: bare, prefix: "" }
    : { bucket: bare.slice(0, slash), prefix: bare.slice(slash + 1) };
}

/**
 * One plan for all the policies that read `s3Objects`: the union of their scopes (an empty
 * scope in any policy means every bucket), the smallest floor, the first Athena setting.
 */
export function planFromPolicies(policies: readonly S3DuplicatesParams[]): S3ScanPlan {
  if (policies.length === 0) return DEFAULT_S3_SCAN_PLAN;
  let targets: S3ScanPlan["targets"] = new Map();
  for (const p of policies) {
    if (p.scope.length === 0) {
      targets = "all";
      break;
    }
    for (const entry of p.scope) {
      const { bucket, prefix } = scopeEntry(entry);
      targets.set(bucket, [...(targets.get(bucket) ?? []), prefix]);
    }
  }
  if (targets !== "all") for (const [b, prefixes] of targets) targets.set(b, coveringPrefixes(prefixes));
  const athena = policies.find((p) => p.athena)?.athena;
  const withAthena = policies.filter((p) => p.athena);
  return {
    targets,
    minSize: Math.min(...policies.map((p) => p.minSizeBytes)),
    inventoryMaxAgeHours: Math.max(...policies.map((p) => p.inventoryMaxAgeHours)),
    listingMaxObjects: Math.max(...policies.map((p) => p.listingMaxObjects)),
    athenaAboveObjects: Math.min(
      ...(withAthena.length > 0 ? withAthena : policies).map((p) => p.athenaAboveObjects),
    ),
    ...(athena ? { athena } : {}),
  };
}

/** The fewest prefixes covering all of `prefixes` (`a/` covers `a/b/`; "" covers everything). */
export function coveringPrefixes(prefixes: readonly string[]): string[] {
  const sorted = [...new Set(prefixes)].sort();
  const out: string[] = [];
  for (const p of sorted) if (!out.some((kept) => p.startsWith(kept))) out.push(p);
  return out;
}

/** The parts of an S3 InventoryConfiguration the choice reads (the SDK's shape, as plain data). */
export interface InventoryConfigLike {
  Id?: string | undefined;
  IsEnabled?: boolean | undefined;
  Filter?: { Prefix?: string | undefined } | undefined;
  OptionalFields?: string[] | undefined;
  Destination?:
    | {
        S3BucketDestination?:
          | { Bucket?: string | undefined; Prefix?: string | undefined; Format?: string | undefined }
          | undefined;
      }
    | undefined;
}

/** The report fields the duplicate scan needs besides Bucket and Key (always present). */
export const REQUIRED_INVENTORY_FIELDS = ["Size", "ETag", "IsMultipartUploaded", "EncryptionStatus"] as const;

/**
 * Why this configuration cannot serve a scan of `prefixes` in its bucket, or undefined when it
 * can: disabled, not CSV (the reader streams CSV; Parquet/ORC are Athena's), a needed field
 * missing, or a filter narrower than what is scanned.
 */
export function inventoryUnusableBecause(
  config: InventoryConfigLike,
  prefixes: readonly string[],
): string | undefined {
  const id = config.Id ?? "?";
  if (!config.IsEnabled) return `inventory ${id} is disabled`;
  const format = config.Destination?.S3BucketDestination?.Format;
  if (format !== "CSV")
    return `inventory ${id} is ${format ?? "of unknown format"}, and only CSV reports are streamed`;
  const fields = new Set(config.OptionalFields ?? []);
  const missing = REQUIRED_INVENTORY_FIELDS.filter((f) => !fields.has(f));
  if (missing.length > 0) return `inventory ${id} lacks the field(s) ${missing.join(", ")}`;
  const filter = config.Filter?.Prefix ?? "";
  if (filter && !prefixes.every((p) => p.startsWith(filter)))
    return `inventory ${id} covers only prefix ${filter}, narrower than the scan`;
  return undefined;
}

/** The configuration to use (the first that can serve), or every reason none can. */
export function pickInventoryConfig(
  configs: readonly InventoryConfigLike[],
  prefixes: readonly string[],
): { config: InventoryConfigLike } | { why: string } {
  if (configs.length === 0) return { why: "no S3 Inventory configuration" };
  const reasons: string[] = [];
  for (const config of configs) {
    const why = inventoryUnusableBecause(config, prefixes);
    if (!why) return { config };
    reasons.push(why);
  }
  return { why: reasons.join("; ") };
}

/** What the Lambda can stream (the bench: `npm run bench -- --only s3`, docs/decisions/011). */
export interface StreamCapacity {
  /**
   * `npm run bench -- --only s3` (10M generated rows, gunzip + parse on a worker per core):
   * 0.82–0.93M rows/s on 2 cores. A 2 GiB Lambda has about one vCPU: 350,000 is planned for.
   */
  rowsPerSecond: number;
  /** The part of the 15-minute Lambda the streaming may take (downloads, HEADs and hashing need the rest). */
  seconds: number;
  /**
   * Rows the Lambda's memory holds while streaming: the bench's peak is ~110 B of RSS per row;
   * planned at 165 B (50% headroom) within three quarters of the function's memory.
   */
  maxRows: number;
}

const PLANNED_BYTES_PER_ROW = 165;

/** The capacity of this Lambda (its memory from AWS_LAMBDA_FUNCTION_MEMORY_SIZE; 2,048 MB elsewhere). */
export function streamCapacity(
  memoryMb = Number(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE) || 2048,
): StreamCapacity {
  return {
    rowsPerSecond: 350_000,
    seconds: 600,
    maxRows: Math.floor((memoryMb * 1024 * 1024 * 0.75) / PLANNED_BYTES_PER_ROW),
  };
}

export type SourceChoice =
  | { source: "inventory"; why: string }
  | { source: "athena"; why: string }
  | { source: "listing"; why: string }
  | { source: "skip"; why: string };

/**
 * The cut-over, per bucket: a usable, fresh inventory is streamed, or queried with Athena when it
 * holds more than `athenaAboveObjects` objects and Athena is configured (or skipped when it cannot
 * be streamed in time); without one, the bucket is listed up to `listingMaxObjects` objects.
 * `objects` is CloudWatch's daily NumberOfObjects (undefined when S3 has not published it yet:
 * a new or empty bucket, listed).
 */
export function chooseSource(input: {
  /** Undefined: a usable, fresh inventory; else why there is none. */
  inventoryWhyNot: string | undefined;
  objects: number | undefined;
  plan: S3ScanPlan;
  capacity?: StreamCapacity;
}): SourceChoice {
  const { plan, objects } = input;
  const capacity = input.capacity ?? streamCapacity();
  const count =
    objects === undefined ? "an unknown number of" : `≈${Math.round(objects).toLocaleString("en-US")}`;
  if (input.inventoryWhyNot === undefined) {
    const n = objects ?? 0;
    const seconds = n / capacity.rowsPerSecond;
    const tooBig =
      seconds > capacity.seconds
        ? `streaming the inventory at ~${capacity.rowsPerSecond} rows/s would take ≈${Math.round(seconds)} s, past the ${capacity.seconds} s a scan may spend`
        : n > capacity.maxRows
          ? `streaming the inventory needs more memory than the scan has (it holds ≈${capacity.maxRows.toLocaleString("en-US")} rows; raise the scan Lambda's memorySize)`
          : undefined;
    if (plan.athena && (n > plan.athenaAboveObjects || tooBig)) {
      return {
        source: "athena",
        why:
          n > plan.athenaAboveObjects
            ? `${count} objects, above athenaAboveObjects (${plan.athenaAboveObjects})`
            : `${count} objects: ${tooBig}`,
      };
    }
    if (tooBig) {
      return { source: "skip", why: `${count} objects: ${tooBig}; configure the policy's athena settings` };
    }
    return { source: "inventory", why: `fresh S3 Inventory, ${count} objects` };
  }
  if (objects === undefined || objects <= plan.listingMaxObjects) {
    return { source: "listing", why: `${input.inventoryWhyNot}; ${count} objects, listed` };
  }
  return {
    source: "skip",
    why: `too large to list (${count} objects > listingMaxObjects ${plan.listingMaxObjects}): configure S3 Inventory (${input.inventoryWhyNot})`,
  };
}

/** The date of an inventory delivery folder (`2026-11-22T01-00Z`), or undefined for other names. */
export function deliveryDate(folder: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})Z$/.exec(folder);
  if (!m) return undefined;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The hive partition value (`dt`) of a delivery folder: `2026-11-22T01-00Z` → `2026-11-22-01-00`. */
export function hivePartitionOf(folder: string): string {
  if (!deliveryDate(folder)) throw new Error(`not an inventory delivery folder: ${folder}`);
  return folder.replace("T", "-").replace(/Z$/, "");
}
