/** The S3 parts of a scenario file: lifecycle rules, virtual multipart uploads, versioning. */
import { describe, expect, it } from "vitest";
import { ScenarioError } from "../../../../shared/local/sandbox/errors.ts";
import { loadScenario, resolveScenario } from "../../../../shared/local/sandbox/scenario.ts";
import { DAY, HOUR, NOW } from "./helpers.ts";

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
const base = { name: "t", accountId: "123456789012", region: "us-east-1" };
const withBucket = (bucket: Record<string, unknown>) => ({
  ...base,
  s3: { buckets: [{ name: "scratch", created: "-10d", ...bucket }] },
});

function issues(raw: unknown): string[] {
  try {
    resolveScenario(raw, NOW);
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioError);
    return (err as ScenarioError).issues;
  }
  throw new Error("expected the scenario to be refused");
}

describe("S3 scenario", () => {
  it("expands `{ count, size }` parts and derives a stable upload id when none is given", () => {
    const raw = withBucket({
      multipartUploads: [
        { key: "ckpt/a.ckpt", initiated: "-23d", parts: [{ count: 3, size: 64 * MIB }, 1024] },
        { key: "ckpt/b.ckpt", uploadId: "given", initiated: "-2h", storageClass: "STANDARD_IA" },
      ],
    });
    const [bucket] = resolveScenario(raw, NOW).s3.buckets;
    expect(bucket!.multipartUploads).toEqual([
      {
        key: "ckpt/a.ckpt",
        uploadId: expect.stringMatching(/^[\w-]{43}$/),
        initiated: NOW.getTime() - 23 * DAY,
        storageClass: "STANDARD",
        parts: [64 * MIB, 64 * MIB, 64 * MIB, 1024],
      },
      {
        key: "ckpt/b.ckpt",
        uploadId: "given",
        initiated: NOW.getTime() - 2 * HOUR,
        storageClass: "STANDARD_IA",
        parts: [],
      },
    ]);
    const again = resolveScenario(raw, new Date(NOW.getTime() + DAY)).s3.buckets[0]!;
    expect(again.multipartUploads![0]!.uploadId).toBe(bucket!.multipartUploads![0]!.uploadId);
    expect(bucket!.lifecycle).toBeUndefined();
    expect(bucket!.versioning).toBeUndefined();
  });

  it("refuses what S3 would: too many parts, oversized parts, bad or actionless lifecycle rules", () => {
    expect(
      issues(
        withBucket({
          multipartUploads: [{ key: "k", initiated: "-1d", parts: [{ count: 10_001, size: 1 }] }],
        }),
      ),
    ).toEqual(["s3.buckets.0.multipartUploads.0.parts: an upload has at most 10,000 parts"]);
    expect(
      issues(withBucket({ multipartUploads: [{ key: "k", initiated: "-1d", parts: [6 * GIB] }] }))[0],
    ).toMatch(/^s3\.buckets\.0\.multipartUploads\.0\.parts\.0/);
    expect(
      issues(withBucket({ lifecycle: [{ ID: "x", Status: "Enabled", Filter: { Prefix: "" } }] })),
    ).toEqual(["s3.buckets.0.lifecycle: At least one action needs to be specified in a rule"]);
    expect(issues(withBucket({ lifecycle: [{ Status: "On", Expiration: { Days: 3 } }] }))[0]).toMatch(
      /^s3\.buckets\.0\.lifecycle\.0\.Status/,
    );
    expect(issues(withBucket({ lifecycle: [{ Status: "Enabled", Expiration: { Dayz: 3 } }] }))[0]).toMatch(
      /^s3\.buckets\.0\.lifecycle\.0\.Expiration/,
    );
    expect(issues(withBucket({ versioning: "On" }))[0]).toMatch(/^s3\.buckets\.0\.versioning/);
    const twice = { key: "k", initiated: "-1d" };
    expect(issues(withBucket({ multipartUploads: [twice, twice] }))).toEqual([
      's3.buckets.0.multipartUploads: duplicate upload "k started -1d"',
    ]);
  });

  it("gives the demo a research scratch bucket with two stale uploads and a fresh one, and no abort rule", () => {
    const demo = loadScenario("shared/local/scenarios/demo.json", NOW);
    const byName = new Map(demo.s3.buckets.map((b) => [b.name, b]));
    const scratch = byName.get("ml-training-scratch")!;
    expect(scratch.tags.team).toBe("research");
    expect(
      scratch.multipartUploads!.map((u) => [
        u.parts.reduce((n, p) => n + p, 0) / GIB,
        Math.round((NOW.getTime() - u.initiated) / HOUR),
      ]),
    ).toEqual([
      [180, 23 * 24],
      [40, 12 * 24],
      [0.75, 2],
    ]);
    expect(scratch.lifecycle!.every((r) => r.Transitions?.length && !r.AbortIncompleteMultipartUpload)).toBe(
      true,
    );
    expect(byName.get("ml-experiments")!.lifecycle).toBeUndefined();
    const prod = byName.get("ml-models-prod")!.lifecycle!;
    expect(prod.some((r) => r.AbortIncompleteMultipartUpload)).toBe(true);
    expect(prod.some((r) => r.NoncurrentVersionExpiration)).toBe(true);
    const prefixes = new Set(byName.get("ml-experiments")!.objects.map((o) => o.key.split("/")[0]));
    expect([...prefixes].sort()).toEqual(["checkpoints", "datasets", "experiments", "tmp"]);
  });
});
