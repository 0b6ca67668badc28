/**
 * A bucket lifecycle rule as the S3 API shapes it (the `Rules` of GetBucketLifecycleConfiguration,
 * field for field), so a scenario file, the sandbox's answers and the SDK's types all read the
 * same. One schema checks both a scenario's `lifecycle` and a PutBucketLifecycleConfiguration
 * body; `lifecycleIssues` adds the rules S3 enforces beyond the XML schema.
 */
import { z } from "zod";

const STORAGE_CLASSES = [
  "GLACIER",
  "STANDARD_IA",
  "ONEZONE_IA",
  "INTELLIGENT_TIERING",
  "DEEP_ARCHIVE",
  "GLACIER_IR",
] as const;

/** S3 takes lifecycle dates at midnight UTC only. */
const midnight = z.string().regex(/^\d{4}-\d{2}-\d{2}T00:00:00(\.000)?Z$/, {
  message: "expected an ISO date at midnight UTC, e.g. 2025-01-01T00:00:00Z",
});
const size = z.number().int().min(0);
const tag = z.strictObject({ Key: z.string().min(1).max(128), Value: z.string().max(256) });

const filter = z.strictObject({
  Prefix: z.string().optional(),
  Tag: tag.optional(),
  ObjectSizeGreaterThan: size.optional(),
  ObjectSizeLessThan: size.optional(),
  And: z
    .strictObject({
      Prefix: z.string().optional(),
      Tags: z.array(tag).optional(),
      ObjectSizeGreaterThan: size.optional(),
      ObjectSizeLessThan: size.optional(),
    })
    .optional(),
});

export const lifecycleRuleSchema = z.strictObject({
  ID: z.string().max(255).optional(),
  /** Legacy (pre-Filter) form; a rule has one or the other. */
  Prefix: z.string().optional(),
  Filter: filter.optional(),
  Status: z.enum(["Enabled", "Disabled"]),
  Expiration: z
    .strictObject({
      Days: z.number().int().optional(),
      Date: midnight.optional(),
      ExpiredObjectDeleteMarker: z.boolean().optional(),
    })
    .optional(),
  Transitions: z
    .array(
      z.strictObject({
        Days: z.number().int().optional(),
        Date: midnight.optional(),
        StorageClass: z.enum(STORAGE_CLASSES),
      }),
    )
    .optional(),
  NoncurrentVersionTransitions: z
    .array(
      z.strictObject({
        NoncurrentDays: z.number().int(),
        StorageClass: z.enum(STORAGE_CLASSES),
        NewerNoncurrentVersions: z.number().int().optional(),
      }),
    )
    .optional(),
  NoncurrentVersionExpiration: z
    .strictObject({
      NoncurrentDays: z.number().int(),
      NewerNoncurrentVersions: z.number().int().optional(),
    })
    .optional(),
  AbortIncompleteMultipartUpload: z.strictObject({ DaysAfterInitiation: z.number().int() }).optional(),
});

export type SbLifecycleRule = z.infer<typeof lifecycleRuleSchema>;

export const lifecycleRulesSchema = z.array(lifecycleRuleSchema).min(1).max(1000);

/** A rule S3 would refuse though the XML is well-formed: the error code it answers and why. */
export interface LifecycleIssue {
  code: "InvalidArgument" | "InvalidRequest";
  message: string;
}

const positive = (n: number | undefined) => n === undefined || n > 0;

export function lifecycleIssues(rules: readonly SbLifecycleRule[]): LifecycleIssue[] {
  const issues: LifecycleIssue[] = [];
  const ids = rules.map((r) => r.ID).filter((id): id is string => id !== undefined);
  if (new Set(ids).size !== ids.length) {
    issues.push({
      code: "InvalidArgument",
      message: "Rule ID must be unique. Found same ID for more than one rule",
    });
  }
  for (const r of rules) {
    const name = r.ID ?? "(no ID)";
    if (r.Prefix !== undefined && r.Filter !== undefined) {
      issues.push({ code: "InvalidRequest", message: `Rule ${name}: Prefix and Filter cannot both be set` });
    }
    if (r.Filter && Object.keys(r.Filter).length > 1) {
      issues.push({
        code: "InvalidRequest",
        message: `Rule ${name}: a Filter holds one condition; combine several with And`,
      });
    }
    const actions = [
      r.Expiration,
      r.Transitions?.length ? r.Transitions : undefined,
      r.NoncurrentVersionTransitions?.length ? r.NoncurrentVersionTransitions : undefined,
      r.NoncurrentVersionExpiration,
      r.AbortIncompleteMultipartUpload,
    ];
    if (actions.every((a) => a === undefined)) {
      issues.push({ code: "InvalidRequest", message: "At least one action needs to be specified in a rule" });
    }
    if (r.Expiration) {
      const set = [r.Expiration.Days, r.Expiration.Date, r.Expiration.ExpiredObjectDeleteMarker].filter(
        (v) => v !== undefined,
      );
      if (set.length !== 1) {
        issues.push({
          code: "InvalidRequest",
          message: `Rule ${name}: Expiration takes exactly one of Days, Date and ExpiredObjectDeleteMarker`,
        });
      }
      if (!positive(r.Expiration.Days)) {
        issues.push({
          code: "InvalidArgument",
          message: "'Days' for Expiration action must be a positive integer",
        });
      }
    }
    for (const t of r.Transitions ?? []) {
      if ((t.Days === undefined) === (t.Date === undefined) || (t.Days ?? 0) < 0) {
        issues.push({
          code: "InvalidRequest",
          message: `Rule ${name}: a Transition takes either Days (>= 0) or Date`,
        });
      }
    }
    const noncurrent = [
      ...(r.NoncurrentVersionTransitions ?? []).map((t) => t.NoncurrentDays),
      r.NoncurrentVersionExpiration?.NoncurrentDays,
    ];
    if (!noncurrent.every(positive)) {
      issues.push({
        code: "InvalidArgument",
        message: "'NoncurrentDays' for NoncurrentVersion actions must be a positive integer",
      });
    }
    if (!positive(r.AbortIncompleteMultipartUpload?.DaysAfterInitiation)) {
      issues.push({
        code: "InvalidArgument",
        message: "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer",
      });
    }
    if (r.AbortIncompleteMultipartUpload && r.Filter && (r.Filter.Tag || r.Filter.And?.Tags?.length)) {
      issues.push({
        code: "InvalidRequest",
        message: "AbortIncompleteMultipartUpload cannot be specified with Tags.",
      });
    }
  }
  return issues;
}
