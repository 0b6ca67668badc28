/**
 * What a proposed lifecycle rule saves per month on a bucket, priced from its age profile with the
 * list-price table. The arithmetic, and what it deliberately leaves out:
 * - a transition moves S3 Standard objects whose age band starts at or past the rule's day to the
 *   furthest class due (objects 100 days old go straight to Glacier IR at 90); the saving is
 *   Standard's price minus the target's on their bytes;
 * - objects under 128 KiB are not transitioned (S3's default minimum transition size): no saving,
 *   counted apart;
 * - an expiration saves the whole price of the bytes it deletes, whatever their class;
 * - a band that straddles the rule's day (0-30 for a 7-day expiration) counts as not due, so the
 *   figure is a lower bound; minimum storage durations (30 days IA, 90 Glacier IR) are met by the
 *   schedule itself (Glacier IR ≥ IA + 30) and assume objects are kept that long;
 * - the one-time transition requests are priced apart, not subtracted from the monthly figure.
 */
import { s3Monthly, s3TransitionCost } from "../pricing/monthly-cost.ts";
import { type AgeBand, BAND_DAYS, type BucketLifecycleInfo } from "./age-profile.ts";
import type { LifecycleRule } from "./lifecycle.ts";

export interface BandSaving {
  band: AgeBand;
  storageClass: string;
  /** The class the bytes go to, or "expired". */
  to: string;
  objects: number;
  bytes: number;
  monthlySavingUsd: number;
}

export interface RuleSaving {
  ruleId: string;
  prefix: string;
  /** In words: "Standard-IA at 30 days, Glacier IR at 90". */
  effect: string;
  monthlySavingUsd: number;
  oneTimeTransitionUsd: number;
  smallObjectsNotTransitioned: number;
  smallBytesNotTransitioned: number;
  /** Bytes under the prefix the rule does not touch yet (too young, or already in a cheaper class). */
  bytesNotDue: number;
  byBand: BandSaving[];
}

const CLASS_WORDS: Record<string, string> = { STANDARD_IA: "Standard-IA", GLACIER_IR: "Glacier IR" };

/** The furthest transition due for a band, judged on the band's lower bound (a lower bound). */
function dueClass(rule: LifecycleRule, band: AgeBand): string | undefined {
  const [low] = BAND_DAYS[band];
  let due: { days: number; cls: string } | undefined;
  for (const t of rule.Transitions ?? []) {
    if (t.Days === undefined || !t.StorageClass || t.Days > low) continue;
    if (!due || t.Days > due.days) due = { days: t.Days, cls: t.StorageClass };
  }
  return due?.cls;
}

function effect(rule: LifecycleRule): string {
  const parts = (rule.Transitions ?? []).map(
    (t) => `${CLASS_WORDS[t.StorageClass ?? ""] ?? t.StorageClass} at ${t.Days} days`,
  );
  if (rule.Expiration?.Days !== undefined) parts.push(`expire after ${rule.Expiration.Days} days`);
  if (rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation !== undefined) {
    parts.push(
      `abort incomplete multipart uploads after ${rule.AbortIncompleteMultipartUpload.DaysAfterInitiation} days (their bytes are counted by s3-stale-multipart)`,
    );
  }
  return parts.join(", ");
}

export function ruleSaving(bucket: BucketLifecycleInfo, rule: LifecycleRule): RuleSaving {
  const prefix = rule.Filter?.Prefix ?? "";
  const out: RuleSaving = {
    ruleId: rule.ID ?? "",
    prefix,
    effect: effect(rule),
    monthlySavingUsd: 0,
    oneTimeTransitionUsd: 0,
    smallObjectsNotTransitioned: 0,
    smallBytesNotTransitioned: 0,
    bytesNotDue: 0,
    byBand: [],
  };
  const acts = (rule.Transitions ?? []).length > 0 || rule.Expiration?.Days !== undefined;
  if (!acts) return out;
  const price = (cls: string, bytes: number) => s3Monthly(cls, bytes, bucket.region) ?? 0;
  for (const c of bucket.ageProfile?.cells ?? []) {
    if (c.prefix !== prefix) continue;
    const expireDays = rule.Expiration?.Days;
    if (expireDays !== undefined && BAND_DAYS[c.band][0] >= expireDays) {
      const saving = price(c.storageClass, c.bytes);
      out.byBand.push({
        ...base(c),
        to: "expired",
        objects: c.objects,
        bytes: c.bytes,
        monthlySavingUsd: saving,
      });
      out.monthlySavingUsd += saving;
      continue;
    }
    const to = c.storageClass === "STANDARD" ? dueClass(rule, c.band) : undefined;
    if (!to) {
      out.bytesNotDue += c.bytes;
      continue;
    }
    const bytes = c.bytes - c.smallBytes;
    const objects = c.objects - c.smallObjects;
    const saving = price("STANDARD", bytes) - price(to, bytes);
    out.byBand.push({ ...base(c), to, objects, bytes, monthlySavingUsd: saving });
    out.monthlySavingUsd += saving;
    out.oneTimeTransitionUsd += s3TransitionCost(to, objects, bucket.region);
    out.smallObjectsNotTransitioned += c.smallObjects;
    out.smallBytesNotTransitioned += c.smallBytes;
  }
  return out;
}

function base(c: { band: AgeBand; storageClass: string }) {
  return { band: c.band, storageClass: c.storageClass };
}

export function ruleSavings(bucket: BucketLifecycleInfo, rules: readonly LifecycleRule[]): RuleSaving[] {
  return rules.map((r) => ruleSaving(bucket, r));
}
