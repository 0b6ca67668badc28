/**
 * A bucket's age profile: bytes and object counts per top-level prefix × age band × storage class,
 * aggregated while the listing streams by (no key is kept, so memory stays flat whatever the bucket
 * holds). The `s3-no-lifecycle` detector prices a proposed lifecycle configuration from it.
 * Objects under 128 KiB are counted apart: S3 does not transition them by default.
 */
import { DAY_MS } from "../util/duration.ts";
import { type LifecycleConfiguration, MIN_TRANSITION_BYTES } from "./lifecycle.ts";

export const AGE_BANDS = ["0-30", "30-90", "90-180", "180+"] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/** Lower and upper bounds of each band, in days (upper exclusive). */
export const BAND_DAYS: Record<AgeBand, readonly [number, number]> = {
  "0-30": [0, 30],
  "30-90": [30, 90],
  "90-180": [90, 180],
  "180+": [180, Number.POSITIVE_INFINITY],
};

/** Keys without a slash are under the root prefix "". Past the prefix cap, new prefixes fold into this. */
export const OTHER_PREFIXES = "*";

export interface AgeProfileCell {
  /** Top-level prefix with its trailing slash ("experiments/"), "" for keys at the root. */
  prefix: string;
  band: AgeBand;
  storageClass: string;
  objects: number;
  bytes: number;
  /** Of those, objects under 128 KiB (not transitioned by default) and their bytes. */
  smallObjects: number;
  smallBytes: number;
}

export interface AgeProfile {
  /** When the listing ran: ages are relative to it. */
  asOf: string;
  cells: AgeProfileCell[];
  objectsListed: number;
  bytesListed: number;
  /** False when the key cap stopped the listing: the profile covers the first `keyCap` keys only. */
  complete: boolean;
  keyCap?: number;
  /** Set when more top-level prefixes than this existed: the rest are under OTHER_PREFIXES. */
  prefixCap?: number;
}

/** The `bucketLifecycles` inventory: one entry per bucket of the region. */
export interface BucketLifecycleInfo {
  bucket: string;
  arn: string;
  region: string;
  versioning: "Enabled" | "Suspended" | "Off";
  /** The bucket's lifecycle configuration; null when it has none (NoSuchLifecycleConfiguration). */
  lifecycle: LifecycleConfiguration | null;
  /** Listed only when no rule transitions or expires current objects. */
  ageProfile?: AgeProfile;
  /** Why the bucket could not be read (e.g. AccessDenied): the detector cannot judge it. */
  error?: string;
}

export function ageBand(ageDays: number): AgeBand {
  if (ageDays < 30) return "0-30";
  if (ageDays < 90) return "30-90";
  if (ageDays < 180) return "90-180";
  return "180+";
}

export function topLevelPrefix(key: string): string {
  const slash = key.indexOf("/");
  return slash < 0 ? "" : key.slice(0, slash + 1);
}

/** Aggregates objects one at a time; `profile()` gives the result. */
export class AgeProfileBuilder {
  private readonly cells = new Map<string, AgeProfileCell>();
  private readonly prefixes = new Set<string>();
  private objects = 0;
  private bytes = 0;
  private prefixCapHit = false;

  constructor(
    private readonly asOf: Date,
    private readonly maxPrefixes = 1000,
  ) {}

  add(key: string, size: number, lastModified: Date, storageClass: string): void {
    let prefix = topLevelPrefix(key);
    if (!this.prefixes.has(prefix)) {
      if (this.prefixes.size >= this.maxPrefixes) {
        prefix = OTHER_PREFIXES;
        this.prefixCapHit = true;
      } else this.prefixes.add(prefix);
    }
    const band = ageBand((this.asOf.getTime() - lastModified.getTime()) / DAY_MS);
    const id = `${prefix}\n${band}\n${storageClass}`;
    let cell = this.cells.get(id);
    if (!cell) {
      cell = { prefix, band, storageClass, objects: 0, bytes: 0, smallObjects: 0, smallBytes: 0 };
      this.cells.set(id, cell);
    }
    cell.objects++;
    cell.bytes += size;
    if (size < MIN_TRANSITION_BYTES) {
      cell.smallObjects++;
      cell.smallBytes += size;
    }
    this.objects++;
    this.bytes += size;
  }

  get count(): number {
    return this.objects;
  }

  profile(keyCapHit?: number): AgeProfile {
    return {
      asOf: this.asOf.toISOString(),
      cells: [...this.cells.values()].sort(
        (a, b) =>
          a.prefix.localeCompare(b.prefix) ||
          AGE_BANDS.indexOf(a.band) - AGE_BANDS.indexOf(b.band) ||
          a.storageClass.localeCompare(b.storageClass),
      ),
      objectsListed: this.objects,
      bytesListed: this.bytes,
      complete: keyCapHit === undefined,
      ...(keyCapHit !== undefined ? { keyCap: keyCapHit } : {}),
      ...(this.prefixCapHit ? { prefixCap: this.maxPrefixes } : {}),
    };
  }
}
