import { describe, expect, it } from "vitest";
import { emptyInventory, type MultipartUploadInfo } from "../../../shared/detectors/inventory.ts";
import { s3StaleMultipart, s3StaleMultipartParams } from "../../../shared/detectors/s3-stale-multipart.ts";
import { context, daysAgo, metricsFrom } from "../../fixtures/endpoints.ts";

const GIB = 1024 ** 3;

function upload(overrides: Partial<MultipartUploadInfo> & { key: string }): MultipartUploadInfo {
  return {
    bucket: "ml-experiments",
    region: "us-east-1",
    uploadId: `up-${overrides.key}`,
    initiated: daysAgo(30),
    storageClass: "STANDARD",
    parts: 10,
    bytes: 10 * GIB,
    ...overrides,
  };
}

function run(
  uploads: MultipartUploadInfo[],
  minAgeDays = 7,
  bucketTags: Record<string, Record<string, string>> = {},
) {
  const ctx = context(s3StaleMultipartParams.parse({ minAgeDays }), { policy: "stale-uploads" });
  const buckets = Object.entries(bucketTags).map(([name, tags]) => ({
    name,
    arn: `arn:aws:s3:::${name}`,
    region: "us-east-1",
    creationDate: daysAgo(400),
    tags,
  }));
  return s3StaleMultipart.detect(
    emptyInventory({ multipartUploads: uploads, buckets }),
    metricsFrom(() => undefined),
    ctx,
  );
}

describe("s3-stale-multipart", () => {
  it("offers the abort-multipart action (delete) on the bucket's uploads", () => {
    expect(s3StaleMultipart.actions).toEqual(["delete"]);
  });

  it("asks the bucket's owner, and leaves a protected bucket's uploads alone", () => {
    const result = run([upload({ key: "a" }), upload({ key: "b", bucket: "ml-archive" })], 7, {
      "ml-experiments": { owner: "li@example.com", team: "research" },
      "ml-archive": { "janitor:protect": "true" },
    });
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({
      owner: { email: "li@example.com", team: "research" },
      resource: { id: "ml-experiments", tags: { owner: "li@example.com", team: "research" } },
    });
    expect(result.excluded).toEqual([
      { resource: "s3://ml-archive/b?uploadId=up-b", reason: "protect tag janitor:protect" },
    ]);
  });

  it("has the documented defaults and rejects unknown params", () => {
    expect(s3StaleMultipartParams.parse(undefined)).toEqual({ minAgeDays: 7 });
    expect(s3StaleMultipartParams.safeParse({ days: 3 }).success).toBe(false);
  });

  it("reports one finding per bucket with the stale uploads' bytes, dollars and an abort rule", () => {
    const result = run([
      upload({ key: "ckpt/a" }),
      upload({ key: "ckpt/b", bytes: 30 * GIB }),
      upload({ key: "fresh", initiated: daysAgo(2) }),
      upload({ bucket: "other", key: "x", bytes: GIB }),
    ]);
    expect(result.findings).toHaveLength(2);
    const f = result.findings.find((x) => x.resource.id === "ml-experiments");
    expect(f).toMatchObject({
      resource: { type: "s3:multipart-uploads", id: "ml-experiments", arn: "arn:aws:s3:::ml-experiments" },
      confidence: "high",
      proposedAction: "delete",
    });
    expect(f?.evidence).toMatchObject({
      uploadCount: 2,
      totalBytes: 40 * GIB,
      proposedLifecycleRule: { AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } },
    });
    expect(((f?.evidence["uploads"] ?? []) as Array<{ key: string }>).map((u) => u.key)).toEqual([
      "ckpt/b",
      "ckpt/a",
    ]);
    expect(f?.monthlyCostUsd).toBeCloseTo(40 * 0.023, 2);
  });

  it("leaves uploads younger than minAgeDays alone", () => {
    expect(run([upload({ key: "a", initiated: daysAgo(10) })], 14).findings).toEqual([]);
  });
});
