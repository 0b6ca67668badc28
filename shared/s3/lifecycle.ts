/**
 * S3 lifecycle configurations as plain data, and the rules about them that the detector and the
 * actions share: which rules make stored objects cheaper (a transition or an expiration of current
 * versions — abort-only or noncurrent-only rules do not), and how a proposed set is merged with a
 * bucket's own rules (never dropping one of them; S3's limit of 1,000 rules; unique IDs).
 *
 * Field names are S3's own (PutBucketLifecycleConfiguration), so what the evidence shows is what
 * the PUT sends; dates are ISO strings so a configuration can live in the store and the undo record.
 */
import { JanitorError } from "../errors.ts";

export interface LifecycleTag {
  Key: string;
  Value: string;
}

export interface LifecycleFilter {
  Prefix?: string;
  Tag?: LifecycleTag;
  ObjectSizeGreaterThan?: number;
  ObjectSizeLessThan?: number;
  And?: {
    Prefix?: string;
    Tags?: LifecycleTag[];
    ObjectSizeGreaterThan?: number;
    ObjectSizeLessThan?: number;
  };
}

export interface LifecycleRule {
  ID?: string;
  Status: "Enabled" | "Disabled";
  Filter?: LifecycleFilter;
  /** Deprecated top-level prefix, still returned for old rules. */
  Prefix?: string;
  Transitions?: Array<{ Days?: number; Date?: string; StorageClass?: string }>;
  Expiration?: { Days?: number; Date?: string; ExpiredObjectDeleteMarker?: boolean };
  NoncurrentVersionTransitions?: Array<{
    NoncurrentDays?: number;
    NewerNoncurrentVersions?: number;
    StorageClass?: string;
  }>;
  NoncurrentVersionExpiration?: { NoncurrentDays?: number; NewerNoncurrentVersions?: number };
  AbortIncompleteMultipartUpload?: { DaysAfterInitiation?: number };
}

/** A bucket's whole lifecycle configuration, as GetBucketLifecycleConfiguration returns it. */
export interface LifecycleConfiguration {
  Rules: LifecycleRule[];
  /** S3's default (since September 2024) is all_storage_classes_128K: smaller objects never transition. */
  TransitionDefaultMinimumObjectSize?: "all_storage_classes_128K" | "varies_by_storage_class";
}

/** S3 refuses a configuration with more rules than this. */
export const MAX_LIFECYCLE_RULES = 1000;

/** Objects below this size are not transitioned by default (and IA/Glacier IR bill them as this size). */
export const MIN_TRANSITION_BYTES = 128 * 1024;

/** Does this rule make current objects cheaper (transition them or expire them)? */
export function actsOnCurrentObjects(rule: LifecycleRule): boolean {
  if (rule.Status !== "Enabled") return false;
  if ((rule.Transitions ?? []).length > 0) return true;
  const e = rule.Expiration;
  return e !== undefined && (e.Days !== undefined || e.Date !== undefined);
}

/** Does this rule abort every incomplete multipart upload of the bucket (no prefix or tag narrowing)? */
export function abortsAllIncompleteUploads(rule: LifecycleRule): boolean {
  if (rule.Status !== "Enabled" || rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation === undefined)
    return false;
  const f = rule.Filter;
  const prefix = f?.Prefix ?? rule.Prefix ?? "";
  return prefix === "" && !f?.Tag && !f?.And && f?.ObjectSizeGreaterThan === undefined;
}

/** A merged configuration S3 would refuse (too many rules) or that would clash with the bucket's (same ID): nothing is sent. */
export class LifecycleMergeError extends JanitorError {}

/**
 * The bucket's rules followed by the proposed ones that are not already there (same ID and same
 * content = already there). Refuses an ID clash with different content and more than 1,000 rules.
 */
export function mergeRules(
  existing: readonly LifecycleRule[],
  proposed: readonly LifecycleRule[],
): LifecycleRule[] {
  const merged = [...existing];
  for (const rule of proposed) {
    const same = merged.find((r) => r.ID !== undefined && r.ID === rule.ID);
    if (same && sameRule(same, rule)) continue;
    merged.push(rule);
  }
  const ids = merged.map((r) => r.ID).filter((id): id is string => id !== undefined);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup !== undefined) {
    throw new LifecycleMergeError(`rule ID "${dup}" is used twice once merged with the bucket's rules`);
  }
  if (merged.length > MAX_LIFECYCLE_RULES) {
    throw new LifecycleMergeError(
      `the merged configuration would have ${merged.length} rules; S3 allows ${MAX_LIFECYCLE_RULES}`,
    );
  }
  return merged;
}

/**
 * Is `current` exactly `before` plus the `proposed` rules (matched by ID: S3 may normalise a
 * rule's shape on the way back)? That is what a configuration we already applied looks like.
 */
export function alreadyApplied(
  current: readonly LifecycleRule[],
  before: readonly LifecycleRule[],
  proposed: readonly LifecycleRule[],
): boolean {
  const ids = new Set(proposed.map((r) => r.ID));
  const mine = current.filter((r) => r.ID !== undefined && ids.has(r.ID));
  const theirs = current.filter((r) => r.ID === undefined || !ids.has(r.ID));
  return mine.length === proposed.length && sameRules(theirs, before);
}

/** Rules compare by content, whatever order S3 returned their keys in. */
export function sameRule(a: LifecycleRule, b: LifecycleRule): boolean {
  return canonical(a) === canonical(b);
}

/** Same rules in the same order, by content. */
export function sameRules(a: readonly LifecycleRule[], b: readonly LifecycleRule[]): boolean {
  return a.length === b.length && a.every((r, i) => sameRule(r, b[i] as LifecycleRule));
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([x], [y]) => (x < y ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
