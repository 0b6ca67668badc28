/**
 * `s3-no-lifecycle` — buckets holding ML artifacts (matched by name pattern, tag, or bytes under a
 * prefix the policy names) with no lifecycle rule that transitions or expires current objects:
 * checkpoints and experiment outputs stay in S3 Standard forever. Abort-only and noncurrent-only
 * rules do not count. Each finding proposes a concrete lifecycle configuration — the bucket's own
 * rules plus ours, exactly as PutBucketLifecycleConfiguration would send it — and the monthly
 * saving priced from the bucket's age profile (shared/s3/savings.ts says how, and what it leaves out).
 *
 * Example policy:
 * ```yaml
 * - name: ml-buckets-without-lifecycle
 *   type: s3-no-lifecycle
 *   mode: notify
 *   params:
 *     namePatterns: ["ml-*", "*-sagemaker-*"]
 *     tags: { workload: ml }
 *     prefixes: [experiments/, checkpoints/]
 *     transitions:
 *       - { prefix: experiments/, standardIaDays: 30, glacierIrDays: 90 }
 *       - { prefix: checkpoints/, standardIaDays: 30, glacierIrDays: 90 }
 *     expirations: [{ prefix: tmp/, days: 7 }]
 *     abortIncompleteMultipartDays: 7
 * ```
 */
import { z } from "zod";
import { PRICES_AS_OF } from "../pricing/price-table.ts";
import type { AgeProfile, BucketLifecycleInfo } from "../s3/age-profile.ts";
import {
  abortsAllIncompleteUploads,
  actsOnCurrentObjects,
  type LifecycleConfiguration,
  type LifecycleRule,
  mergeRules,
} from "../s3/lifecycle.ts";
import { type RuleSaving, ruleSavings } from "../s3/savings.ts";
import type { Tags } from "../types.ts";
import { findingId } from "../util/ids.ts";
import { exclusionReason, ownerFromTags } from "./common.ts";
import type { Detector, DetectResult } from "./types.ts";
import { roundUsd } from "./utilisation.ts";

const topPrefix = z
  .string()
  .regex(
    /^[^/]+\/$/,
    "a top-level prefix ending in / such as experiments/ (the age profile is per top-level prefix)",
  );

const transition = z
  .strictObject({
    prefix: topPrefix,
    /** S3 refuses a Standard-IA transition before 30 days. */
    standardIaDays: z.number().int().min(30).max(3650).optional(),
    glacierIrDays: z.number().int().min(1).max(3650).optional(),
  })
  .refine((t) => t.standardIaDays !== undefined || t.glacierIrDays !== undefined, {
    message: "give standardIaDays, glacierIrDays or both",
  })
  .refine(
    (t) =>
      t.standardIaDays === undefined ||
      t.glacierIrDays === undefined ||
      t.glacierIrDays >= t.standardIaDays + 30,
    {
      message:
        "glacierIrDays must be at least 30 days after standardIaDays (Standard-IA's minimum storage duration)",
    },
  );

const DEFAULT_TRANSITIONS = [
  { prefix: "experiments/", standardIaDays: 30, glacierIrDays: 90 },
  { prefix: "checkpoints/", standardIaDays: 30, glacierIrDays: 90 },
];
const DEFAULTS = {
  namePatterns: [] as string[],
  tags: {} as Record<string, string>,
  prefixes: ["experiments/", "checkpoints/"],
  transitions: DEFAULT_TRANSITIONS,
  expirations: [{ prefix: "tmp/", days: 7 }],
  abortIncompleteMultipartDays: 7 as number | null,
  minMonthlySavingUsd: 0,
};

export const s3NoLifecycleParams = z
  .strictObject({
    /** Bucket name globs (`*`, `?`) that mark a bucket as holding ML artifacts. */
    namePatterns: z.array(z.string().min(1)).default(DEFAULTS.namePatterns),
    /** Bucket tags (key: value, "*" for any value) that mark it. */
    tags: z.record(z.string().min(1), z.string()).default(DEFAULTS.tags),
    /** A bucket holding bytes under one of these top-level prefixes is marked too. */
    prefixes: z.array(topPrefix).default(DEFAULTS.prefixes),
    /** Proposed transitions per prefix (from S3 Standard). */
    transitions: z.array(transition).default(DEFAULT_TRANSITIONS),
    /** Proposed expirations per prefix: scratch data, deleted for good after `days`. */
    expirations: z
      .array(z.strictObject({ prefix: topPrefix, days: z.number().int().min(1).max(3650) }))
      .default(DEFAULTS.expirations),
    /** The AbortIncompleteMultipartUpload rule proposed with them; null proposes none. */
    abortIncompleteMultipartDays: z.number().int().min(1).max(365).nullable().default(7),
    /** Buckets whose proposed rules save less than this per month are not reported. */
    minMonthlySavingUsd: z.number().nonnegative().default(0),
  })
  .refine(
    (p) => {
      const all = [...p.transitions.map((t) => t.prefix), ...p.expirations.map((e) => e.prefix)];
      return new Set(all).size === all.length;
    },
    { message: "a prefix may have one transition or one expiration rule, not several" },
  )
  .default(DEFAULTS);

export type S3NoLifecycleParams = z.infer<typeof s3NoLifecycleParams>;

function globMatches(glob: string, name: string): boolean {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`).test(name);
}

function bytesUnder(profile: AgeProfile | undefined, prefix: string): number {
  return (profile?.cells ?? []).filter((c) => c.prefix === prefix).reduce((n, c) => n + c.bytes, 0);
}

/** Why the bucket counts as holding ML artifacts; empty when it does not. */
function matchedBy(b: BucketLifecycleInfo, tags: Tags, p: S3NoLifecycleParams): string[] {
  const why: string[] = [];
  for (const glob of p.namePatterns) if (globMatches(glob, b.bucket)) why.push(`name matches ${glob}`);
  for (const [key, value] of Object.entries(p.tags)) {
    const have = tags[key];
    if (have !== undefined && (value === "*" || have === value)) why.push(`tag ${key}=${have}`);
  }
  for (const prefix of p.prefixes) {
    if (bytesUnder(b.ageProfile, prefix) > 0) why.push(`holds objects under ${prefix}`);
  }
  return why;
}

const slug = (prefix: string) => prefix.replace(/\/$/, "");

/** Our rules for this bucket: only for prefixes it holds objects under, plus the abort rule. */
export function proposedRules(b: BucketLifecycleInfo, p: S3NoLifecycleParams): LifecycleRule[] {
  const rules: LifecycleRule[] = [];
  for (const t of p.transitions) {
    if (bytesUnder(b.ageProfile, t.prefix) === 0) continue;
    rules.push({
      ID: `janitor-transition-${slug(t.prefix)}`,
      Status: "Enabled",
      Filter: { Prefix: t.prefix },
      Transitions: [
        ...(t.standardIaDays !== undefined ? [{ Days: t.standardIaDays, StorageClass: "STANDARD_IA" }] : []),
        ...(t.glacierIrDays !== undefined ? [{ Days: t.glacierIrDays, StorageClass: "GLACIER_IR" }] : []),
      ],
    });
  }
  for (const e of p.expirations) {
    if (bytesUnder(b.ageProfile, e.prefix) === 0) continue;
    rules.push({
      ID: `janitor-expire-${slug(e.prefix)}-${e.days}d`,
      Status: "Enabled",
      Filter: { Prefix: e.prefix },
      Expiration: { Days: e.days },
      // In a versioned bucket an expiration only adds a delete marker: remove the old versions too.
      ...(b.versioning !== "Off" ? { NoncurrentVersionExpiration: { NoncurrentDays: e.days } } : {}),
    });
  }
  const days = p.abortIncompleteMultipartDays;
  if (rules.length > 0 && days !== null && !(b.lifecycle?.Rules ?? []).some(abortsAllIncompleteUploads)) {
    rules.push({
      ID: `janitor-abort-incomplete-multipart-${days}d`,
      Status: "Enabled",
      Filter: {},
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: days },
    });
  }
  return rules;
}

function ruleWords(s: RuleSaving): string {
  const usd = `$${s.monthlySavingUsd.toFixed(2)}/month`;
  return `${s.ruleId}: ${s.effect} — saves ${usd}`;
}

export const s3NoLifecycle: Detector<S3NoLifecycleParams> = {
  type: "s3-no-lifecycle",
  summary: "S3 buckets of ML artifacts with no lifecycle rule that transitions or expires objects",
  params: s3NoLifecycleParams,
  permissions: [
    "s3:ListAllMyBuckets",
    "s3:GetLifecycleConfiguration",
    "tag:GetResources",
    "s3:GetBucketVersioning",
    "s3:ListBucket",
  ],
  actions: ["configure"],
  // Buckets for their tags (read in bulk by the tagging API, shared with the other S3 detectors).
  inventory: ["bucketLifecycles", "buckets"],

  metricRequests: () => [],

  detect(inventory, _metrics, ctx): DetectResult {
    const result: DetectResult = { findings: [], excluded: [], unknown: [] };
    const p = ctx.params;
    const tagsByBucket = new Map(inventory.buckets.map((x) => [x.name, x.tags]));
    for (const b of inventory.bucketLifecycles) {
      const tags = tagsByBucket.get(b.bucket) ?? {};
      if (b.error) {
        result.unknown.push({ resource: b.bucket, reason: `could not read the bucket: ${b.error}` });
        continue;
      }
      const current = b.lifecycle?.Rules ?? [];
      if (current.some(actsOnCurrentObjects) || !b.ageProfile) continue;
      const matched = matchedBy(b, tags, p);
      if (matched.length === 0) continue;
      const why = exclusionReason(b.bucket, tags, ctx.tags, ctx.exclude);
      if (why) {
        result.excluded.push({ resource: b.bucket, reason: why });
        continue;
      }
      const ours = proposedRules(b, p);
      if (!ours.some((r) => r.Transitions || r.Expiration)) {
        const held = [...new Set(b.ageProfile.cells.map((c) => c.prefix || "(root)"))].slice(0, 5).join(", ");
        result.unknown.push({
          resource: b.bucket,
          reason: `no lifecycle rule, but nothing under the prefixes the policy has rules for (it holds ${held || "nothing"})`,
        });
        continue;
      }
      let merged: LifecycleRule[];
      try {
        merged = mergeRules(current, ours);
      } catch (err) {
        result.unknown.push({ resource: b.bucket, reason: (err as Error).message });
        continue;
      }
      const proposedConfiguration: LifecycleConfiguration = {
        Rules: merged,
        TransitionDefaultMinimumObjectSize:
          b.lifecycle?.TransitionDefaultMinimumObjectSize ?? "all_storage_classes_128K",
      };
      const savings = ruleSavings(b, ours);
      const monthly = savings.reduce((n, s) => n + s.monthlySavingUsd, 0);
      if (monthly < p.minMonthlySavingUsd) continue;
      const profile = b.ageProfile;
      const smallObjects = savings.reduce((n, s) => n + s.smallObjectsNotTransitioned, 0);
      const smallBytes = savings.reduce((n, s) => n + s.smallBytesNotTransitioned, 0);
      const rulePrefixes = new Set(
        ours.map((r) => r.Filter?.Prefix).filter((x) => x !== undefined && x !== ""),
      );
      const gib = (profile.bytesListed / 1024 ** 3).toFixed(2);
      const notes = [
        "Objects under 128 KiB are not transitioned (S3's default minimum transition size): they stay in S3 Standard and count for no saving.",
        "Standard-IA bills at least 30 days and Glacier IR at least 90 after the move: the saving assumes moved objects are kept that long.",
        "Age bands that straddle a rule's day (e.g. 0-30 days for a 7-day expiration) are counted as not moved or expired: the saving is a lower bound.",
        "Reads from Standard-IA cost $0.01/GB and from Glacier IR $0.03/GB: data read often should stay in Standard.",
      ];
      if (!profile.complete) {
        notes.push(
          `The listing stopped at ${profile.keyCap?.toLocaleString("en-US")} keys: the profile and saving cover those only.`,
        );
      }
      result.findings.push({
        id: findingId("s3-no-lifecycle", b.arn),
        detector: "s3-no-lifecycle",
        policy: ctx.policy,
        resource: { type: "s3:bucket", id: b.bucket, arn: b.arn, region: b.region, tags },
        owner: ownerFromTags(tags, ctx.tags),
        reason:
          `${b.bucket} keeps ${gib} GiB of ML artifacts with no lifecycle rule that transitions or expires them` +
          (current.length > 0
            ? ` (its ${current.length} rule(s) only abort uploads or touch old versions)`
            : "") +
          `; the proposed rules save about $${monthly.toFixed(2)} per month`,
        evidence: {
          matchedBy: matched,
          proposedRuleSummary: savings.map(ruleWords),
          smallObjectsNotTransitioned: smallObjects,
          smallBytesNotTransitioned: smallBytes,
          oneTimeTransitionUsd: roundUsd(savings.reduce((n, s) => n + s.oneTimeTransitionUsd, 0)),
          profileComplete: profile.complete,
          objectsListed: profile.objectsListed,
          bytesListed: profile.bytesListed,
          versioning: b.versioning,
          currentRules: current,
          proposedRules: ours,
          proposedConfiguration,
          savingByRule: savings,
          ageProfile: {
            ...profile,
            // The cells the rules act on; the rest summed (the evidence must stay small enough to store).
            cells: profile.cells.filter((c) => rulePrefixes.has(c.prefix)),
            otherPrefixesBytes: profile.cells
              .filter((c) => !rulePrefixes.has(c.prefix))
              .reduce((n, c) => n + c.bytes, 0),
          },
          notes,
          pricesAsOf: PRICES_AS_OF,
        },
        confidence: profile.complete ? "high" : "medium",
        monthlyCostUsd: roundUsd(monthly),
        proposedAction: "configure",
      });
    }
    return result;
  },

  describeActivity(inventory, _metrics, _ctx, resourceId) {
    const b = inventory.bucketLifecycles.find((x) => x.bucket === resourceId);
    const rule = b?.lifecycle?.Rules.find(actsOnCurrentObjects);
    return rule
      ? `${resourceId} now has a lifecycle rule that transitions or expires objects (${rule.ID ?? "no ID"})`
      : undefined;
  },
};
