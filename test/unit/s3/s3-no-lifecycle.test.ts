import { describe, expect, it } from "vitest";
import { emptyInventory } from "../../../shared/detectors/inventory.ts";
import { s3NoLifecycle, s3NoLifecycleParams } from "../../../shared/detectors/s3-no-lifecycle.ts";
import { AgeProfileBuilder, type BucketLifecycleInfo } from "../../../shared/s3/age-profile.ts";
import type { LifecycleRule } from "../../../shared/s3/lifecycle.ts";
import { context, daysAgo, metricsFrom, NOW } from "../../fixtures/endpoints.ts";

const GIB = 1024 ** 3;
const KIB = 1024;

type Obj = [key: string, size: number, ageDays: number, storageClass?: string];

/** The standard bucket: experiments of every age, 1,000 small files, scratch data, a root file. */
const OBJECTS: Obj[] = [
  ["experiments/run-1/weights.bin", 100 * GIB, 200],
  ["experiments/run-2/weights.bin", 50 * GIB, 60],
  ["experiments/run-3/weights.bin", 10 * GIB, 10],
  ...Array.from({ length: 1000 }, (_, i): Obj => [`experiments/run-1/logs/${i}.json`, 64 * KIB, 200]),
  ["tmp/shard-a", 20 * GIB, 45],
  ["tmp/shard-b", 5 * GIB, 3],
  ["README.md", 2 * KIB, 400],
];

/** A bucket's lifecycle entry with the tags the `buckets` inventory holds for it. */
type TestBucket = BucketLifecycleInfo & { tags: Record<string, string> };

function bucket(overrides: Partial<TestBucket> = {}, objects: Obj[] = OBJECTS, keyCap?: number) {
  const b = new AgeProfileBuilder(NOW);
  for (const [key, size, age, cls] of objects) b.add(key, size, daysAgo(age), cls ?? "STANDARD");
  const info: TestBucket = {
    bucket: "ml-experiments",
    arn: "arn:aws:s3:::ml-experiments",
    region: "us-east-1",
    tags: { owner: "ana@example.com", team: "vision" },
    versioning: "Off",
    lifecycle: null,
    ageProfile: b.profile(keyCap),
    ...overrides,
  };
  return info;
}

/** Both inventory kinds the detector reads: the lifecycle entries, and the buckets with their tags. */
function inventoryOf(buckets: TestBucket[]) {
  return emptyInventory({
    bucketLifecycles: buckets.map(({ tags: _tags, ...b }) => b),
    buckets: buckets.map((b) => ({
      name: b.bucket,
      arn: b.arn,
      region: b.region,
      creationDate: daysAgo(500),
      tags: b.tags,
    })),
  });
}

function run(buckets: TestBucket[], params: unknown = {}) {
  const ctx = context(s3NoLifecycleParams.parse(params), { policy: "ml-lifecycle" });
  return s3NoLifecycle.detect(
    inventoryOf(buckets),
    metricsFrom(() => undefined),
    ctx,
  );
}

const abortOnly: LifecycleRule = {
  ID: "abort",
  Status: "Enabled",
  Filter: {},
  AbortIncompleteMultipartUpload: { DaysAfterInitiation: 3 },
};

describe("s3-no-lifecycle params", () => {
  it("has the documented defaults and rejects unknown keys", () => {
    expect(s3NoLifecycleParams.parse(undefined)).toEqual({
      namePatterns: [],
      tags: {},
      prefixes: ["experiments/", "checkpoints/"],
      transitions: [
        { prefix: "experiments/", standardIaDays: 30, glacierIrDays: 90 },
        { prefix: "checkpoints/", standardIaDays: 30, glacierIrDays: 90 },
      ],
      expirations: [{ prefix: "tmp/", days: 7 }],
      abortIncompleteMultipartDays: 7,
      minMonthlySavingUsd: 0,
    });
    expect(s3NoLifecycleParams.safeParse({ prefix: ["x/"] }).success).toBe(false);
  });

  it("refuses what S3 or the age profile cannot honour, with a clear message", () => {
    const deep = s3NoLifecycleParams.safeParse({ prefixes: ["team/experiments/"] });
    expect(deep.error?.issues[0]?.message).toMatch(/top-level prefix/);
    expect(
      s3NoLifecycleParams.safeParse({ transitions: [{ prefix: "a/", standardIaDays: 10 }] }).success,
    ).toBe(false);
    const tooClose = s3NoLifecycleParams.safeParse({
      transitions: [{ prefix: "a/", standardIaDays: 30, glacierIrDays: 45 }],
    });
    expect(tooClose.error?.issues[0]?.message).toMatch(/at least 30 days after/);
    const twice = s3NoLifecycleParams.safeParse({
      transitions: [{ prefix: "a/", standardIaDays: 30 }],
      expirations: [{ prefix: "a/", days: 7 }],
    });
    expect(twice.error?.issues[0]?.message).toMatch(/one transition or one expiration/);
  });
});

describe("s3-no-lifecycle", () => {
  it("prices the proposed rules from the age profile: Glacier IR, Standard-IA, expired tmp bytes", () => {
    const { findings } = run([bucket()]);
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    // 100 GiB × (0.023 − 0.004) + 50 GiB × (0.023 − 0.0125) + 20 GiB × 0.023 (tmp/ 45 days old, expired).
    expect(f.monthlyCostUsd).toBe(Math.round((100 * 0.019 + 50 * 0.0105 + 20 * 0.023) * 100) / 100);
    expect(f).toMatchObject({
      resource: { type: "s3:bucket", id: "ml-experiments", arn: "arn:aws:s3:::ml-experiments" },
      owner: { email: "ana@example.com", team: "vision" },
      confidence: "high",
      proposedAction: "configure",
    });
    const byRule = f.evidence.savingByRule as Array<{
      ruleId: string;
      monthlySavingUsd: number;
      bytesNotDue: number;
    }>;
    expect(byRule.map((r) => r.ruleId)).toEqual([
      "janitor-transition-experiments",
      "janitor-expire-tmp-7d",
      "janitor-abort-incomplete-multipart-7d",
    ]);
    expect(byRule[0]?.monthlySavingUsd).toBeCloseTo(100 * 0.019 + 50 * 0.0105, 9);
    expect(byRule[0]?.bytesNotDue).toBe(10 * GIB); // the 10-day-old run stays in Standard for now
    // The 3-day-old shard sits in the 0-30 band, which straddles day 7: counted as not expired.
    expect(byRule[1]).toMatchObject({ monthlySavingUsd: 20 * 0.023, bytesNotDue: 5 * GIB });
    expect(byRule[2]?.monthlySavingUsd).toBe(0);
  });

  it("shows the configuration exactly as the PUT would send it", () => {
    const f = run([bucket()]).findings[0]!;
    expect(f.evidence.currentRules).toEqual([]);
    expect(f.evidence.proposedConfiguration).toEqual({
      Rules: [
        {
          ID: "janitor-transition-experiments",
          Status: "Enabled",
          Filter: { Prefix: "experiments/" },
          Transitions: [
            { Days: 30, StorageClass: "STANDARD_IA" },
            { Days: 90, StorageClass: "GLACIER_IR" },
          ],
        },
        {
          ID: "janitor-expire-tmp-7d",
          Status: "Enabled",
          Filter: { Prefix: "tmp/" },
          Expiration: { Days: 7 },
        },
        {
          ID: "janitor-abort-incomplete-multipart-7d",
          Status: "Enabled",
          Filter: {},
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
        },
      ],
      TransitionDefaultMinimumObjectSize: "all_storage_classes_128K",
    });
  });

  it("does not transition objects under 128 KiB, and says so", () => {
    const f = run([bucket()]).findings[0]!;
    expect(f.evidence.smallObjectsNotTransitioned).toBe(1000);
    expect(f.evidence.smallBytesNotTransitioned).toBe(1000 * 64 * KIB);
    expect((f.evidence.notes as string[]).join(" ")).toMatch(/under 128 KiB are not transitioned/);
    // Only small objects under a prefix: nothing moves, nothing saved.
    const small = run([bucket({}, [["experiments/a.json", 100 * KIB, 400]])]).findings[0]!;
    expect(small.monthlyCostUsd).toBe(0);
    expect(small.evidence.smallObjectsNotTransitioned).toBe(1);
  });

  it("matches buckets by name pattern, by tag, and by bytes under a prefix — and nothing else", () => {
    const scratch: Obj[] = [["tmp/x", GIB, 40]];
    const named = bucket({ bucket: "ml-scratch", arn: "arn:aws:s3:::ml-scratch", tags: {} }, scratch);
    const tagged = bucket(
      { bucket: "team-data", arn: "arn:aws:s3:::team-data", tags: { workload: "ml" } },
      scratch,
    );
    const other = bucket({ bucket: "logs", arn: "arn:aws:s3:::logs", tags: { workload: "web" } }, scratch);
    const byName = run([named, tagged, other], { namePatterns: ["ml-*"], prefixes: [] });
    expect(byName.findings.map((f) => f.resource.id)).toEqual(["ml-scratch"]);
    expect(byName.findings[0]?.evidence.matchedBy).toEqual(["name matches ml-*"]);
    const byTag = run([named, tagged, other], { tags: { workload: "ml" }, prefixes: [] });
    expect(byTag.findings.map((f) => f.resource.id)).toEqual(["team-data"]);
    expect(byTag.findings[0]?.evidence.matchedBy).toEqual(["tag workload=ml"]);
    const byPrefix = run([named, bucket()], {});
    expect(byPrefix.findings.map((f) => f.resource.id)).toEqual(["ml-experiments"]);
    expect(byPrefix.findings[0]?.evidence.matchedBy).toEqual(["holds objects under experiments/"]);
  });

  it("still flags buckets whose rules only abort uploads, touch old versions, or are disabled", () => {
    const noncurrent: LifecycleRule = {
      ID: "old-versions",
      Status: "Enabled",
      Filter: {},
      NoncurrentVersionExpiration: { NoncurrentDays: 30 },
    };
    const disabled: LifecycleRule = {
      ID: "off",
      Status: "Disabled",
      Filter: {},
      Transitions: [{ Days: 30, StorageClass: "STANDARD_IA" }],
    };
    for (const rule of [abortOnly, noncurrent, disabled]) {
      const { findings } = run([bucket({ lifecycle: { Rules: [rule] } })]);
      expect(findings, rule.ID).toHaveLength(1);
      expect(findings[0]?.evidence.currentRules).toEqual([rule]);
      // The owner's rule comes first and is kept as it is.
      const proposed = findings[0]?.evidence.proposedConfiguration as { Rules: LifecycleRule[] } | undefined;
      expect(proposed?.Rules[0]).toEqual(rule);
    }
    // An abort-all rule of their own: no second abort rule is proposed.
    const own = run([bucket({ lifecycle: { Rules: [abortOnly] } })]).findings[0];
    const ids = ((own?.evidence.proposedRules ?? []) as LifecycleRule[]).map((r) => r.ID);
    expect(ids).toEqual(["janitor-transition-experiments", "janitor-expire-tmp-7d"]);
  });

  it("leaves alone a bucket with a rule that transitions or expires current objects", () => {
    const transitions: LifecycleRule = {
      ID: "archive",
      Status: "Enabled",
      Filter: { Prefix: "old/" },
      Transitions: [{ Days: 60, StorageClass: "GLACIER" }],
    };
    const expires: LifecycleRule = { ID: "exp", Status: "Enabled", Filter: {}, Expiration: { Days: 365 } };
    expect(run([bucket({ lifecycle: { Rules: [transitions] } })]).findings).toEqual([]);
    expect(run([bucket({ lifecycle: { Rules: [abortOnly, expires] } })]).findings).toEqual([]);
    const lifecycle = { Rules: [transitions] };
    const inv = inventoryOf([bucket({ lifecycle })]);
    const ctx = context(s3NoLifecycleParams.parse({}));
    expect(
      s3NoLifecycle.describeActivity?.(
        inv,
        metricsFrom(() => undefined),
        ctx,
        "ml-experiments",
      ),
    ).toMatch(/now has a lifecycle rule that transitions or expires objects \(archive\)/);
  });

  it("is medium confidence, and says so, when the listing cap stopped the profile", () => {
    const f = run([bucket({}, OBJECTS, 500_000)]).findings[0]!;
    expect(f.confidence).toBe("medium");
    expect(f.evidence.profileComplete).toBe(false);
    expect((f.evidence.notes as string[]).at(-1)).toBe(
      "The listing stopped at 500,000 keys: the profile and saving cover those only.",
    );
  });

  it("expires old versions too in a versioned bucket", () => {
    const f = run([bucket({ versioning: "Enabled" })]).findings[0]!;
    expect((f.evidence.proposedRules as LifecycleRule[])[1]).toEqual({
      ID: "janitor-expire-tmp-7d",
      Status: "Enabled",
      Filter: { Prefix: "tmp/" },
      Expiration: { Days: 7 },
      NoncurrentVersionExpiration: { NoncurrentDays: 7 },
    });
  });

  it("reports unreadable, protected, rule-less and clashing buckets apart, never as findings", () => {
    const result = run(
      [
        bucket({ bucket: "denied", arn: "arn:aws:s3:::denied", error: "AccessDenied: no" }),
        bucket({ bucket: "kept", arn: "arn:aws:s3:::kept", tags: { "janitor:protect": "true" } }),
        bucket({ bucket: "models", arn: "arn:aws:s3:::models" }, [["models/m.bin", GIB, 100]]),
        bucket({
          bucket: "clash",
          arn: "arn:aws:s3:::clash",
          lifecycle: { Rules: [{ ...abortOnly, ID: "janitor-expire-tmp-7d" }] },
        }),
      ],
      { namePatterns: ["*"] },
    );
    expect(result.findings).toEqual([]);
    expect(result.excluded).toEqual([{ resource: "kept", reason: "protect tag janitor:protect" }]);
    expect(result.unknown).toEqual([
      { resource: "denied", reason: "could not read the bucket: AccessDenied: no" },
      {
        resource: "models",
        reason:
          "no lifecycle rule, but nothing under the prefixes the policy has rules for (it holds models/)",
      },
      {
        resource: "clash",
        reason: 'rule ID "janitor-expire-tmp-7d" is used twice once merged with the bucket\'s rules',
      },
    ]);
  });

  it("skips buckets whose saving is under minMonthlySavingUsd", () => {
    expect(run([bucket()], { minMonthlySavingUsd: 100 }).findings).toEqual([]);
  });
});
