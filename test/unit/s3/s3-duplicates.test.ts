import { describe, expect, it } from "vitest";
import { emptyInventory } from "../../../shared/detectors/inventory.ts";
import {
  type S3DuplicatesParams,
  s3Duplicates,
  s3DuplicatesParams,
} from "../../../shared/detectors/s3-duplicates.ts";
import { duplicateGroups, keepCopy, type S3ObjectRecord } from "../../../shared/s3/duplicates.ts";
import { context, metricsFrom } from "../../fixtures/endpoints.ts";

const MIB = 1024 * 1024;
const SIZE = 200 * MIB;
const MD5_A = "0cc175b9c0f1b6a831c399e269772661";
const MD5_B = "92eb5ffee6ae2fec3ad71c777531578f";

function obj(overrides: Partial<S3ObjectRecord> & { key: string }): S3ObjectRecord {
  return {
    bucket: "ml-models-prod",
    region: "us-east-1",
    size: SIZE,
    etag: MD5_A,
    lastModified: new Date("2026-06-01T00:00:00Z"),
    storageClass: "STANDARD",
    encryption: "NONE",
    ...overrides,
  };
}

const params: S3DuplicatesParams = s3DuplicatesParams.parse(undefined);

function run(objects: S3ObjectRecord[], p: Partial<S3DuplicatesParams> = {}) {
  const ctx = context({ ...params, ...p }, { policy: "duplicate-weights" });
  return s3Duplicates.detect(
    emptyInventory({ s3Objects: objects }),
    metricsFrom(() => undefined),
    ctx,
  );
}

describe("duplicateGroups (pure)", () => {
  it("groups single-part unencrypted copies by their MD5 ETag", () => {
    const groups = duplicateGroups(
      [obj({ key: "a" }), obj({ key: "b" }), obj({ key: "c", encryption: "SSE-S3" })],
      MIB,
    );
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ proven: true, method: "etag-md5", size: SIZE });
    expect(groups[0]?.members.map((o) => o.key)).toEqual(["a", "b", "c"]);
  });

  it("does not group objects of the same size with different content", () => {
    expect(duplicateGroups([obj({ key: "a" }), obj({ key: "b", etag: MD5_B })], MIB)).toEqual([]);
  });

  it("ignores sizes seen once and objects under the minimum size", () => {
    const groups = duplicateGroups(
      [
        obj({ key: "a", size: 10 }),
        obj({ key: "b", size: 10 }),
        obj({ key: "c" }),
        obj({ key: "d", size: SIZE + 1 }),
      ],
      MIB,
    );
    expect(groups).toEqual([]);
  });

  it("finds multipart copies with different part sizes through the content MD5 the loader computed", () => {
    const groups = duplicateGroups(
      [
        obj({ key: "single" }),
        obj({ key: "mp-8mib", etag: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-25", contentMd5: MD5_A }),
        obj({ key: "mp-16mib", etag: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-13", contentMd5: MD5_A }),
      ],
      MIB,
    );
    expect(groups).toHaveLength(1);
    expect(groups[0]?.proven).toBe(true);
    expect(groups[0]?.members).toHaveLength(3);
  });

  it("proves multipart copies by FULL_OBJECT checksums of the same algorithm, not by CRC32", () => {
    const sha = { algorithm: "SHA256", type: "FULL_OBJECT" as const, value: "q83vEjRWeJA=" };
    const crc = { algorithm: "CRC32", type: "FULL_OBJECT" as const, value: "AAAAAA==" };
    const strong = duplicateGroups(
      [obj({ key: "a", etag: "x-3", checksum: sha }), obj({ key: "b", etag: "y-5", checksum: sha })],
      MIB,
    );
    expect(strong[0]).toMatchObject({ proven: true, method: "checksum" });
    const weak = duplicateGroups(
      [obj({ key: "a", etag: "x-3", checksum: crc }), obj({ key: "b", etag: "y-5", checksum: crc })],
      MIB,
    );
    expect(weak[0]).toMatchObject({ proven: false, method: "probable-crc" });
  });

  it("never proves SSE-KMS objects by their ETag, even when the ETags match", () => {
    const groups = duplicateGroups(
      [obj({ key: "a", encryption: "SSE-KMS" }), obj({ key: "b", encryption: "SSE-KMS" })],
      MIB,
    );
    expect(groups[0]).toMatchObject({ proven: false, method: "probable-etag" });
  });

  it("treats an object whose encryption is unknown (no HEAD) as unproven", () => {
    const { encryption: _e, ...a } = obj({ key: "a" });
    const { encryption: _f, ...b } = obj({ key: "b" });
    expect(duplicateGroups([a, b], MIB)[0]?.proven).toBe(false);
  });

  it("keeps the first preferred prefix's copy, else the oldest", () => {
    const old = obj({ bucket: "ml-experiments", key: "runs/1/w.bin", lastModified: new Date("2026-01-01") });
    const reg = obj({ key: "registry/w.bin", lastModified: new Date("2026-09-01") });
    const dep = obj({ key: "deploy/w.bin", lastModified: new Date("2026-08-01") });
    expect(keepCopy([dep, old, reg], [])).toBe(old);
    expect(keepCopy([dep, old, reg], ["ml-models-prod/registry/", "ml-models-prod/deploy/"])).toBe(reg);
    expect(keepCopy([dep, old, reg], ["s3://ml-models-prod/deploy/"])).toBe(dep);
  });
});

describe("s3-duplicates detector", () => {
  it("has the documented defaults and rejects unknown params", () => {
    expect(params).toEqual({
      scope: [],
      minSizeBytes: MIB,
      preferredKeepPrefixes: [],
      inventoryMaxAgeHours: 48,
      listingMaxObjects: 2_000_000,
      athenaAboveObjects: 50_000_000,
    });
    // The schema's own default (params omitted) is the same as parsing an empty object.
    expect(s3DuplicatesParams.parse(undefined)).toEqual(s3DuplicatesParams.parse({}));
    expect(s3DuplicatesParams.safeParse({ minSize: 3 }).success).toBe(false);
    expect(s3DuplicatesParams.safeParse({ minSizeBytes: 10 }).success).toBe(false);
  });

  it("reports a proven group with the kept copy, wasted bytes and dollars by storage class", () => {
    const result = run(
      [
        obj({ key: "registry/w.bin", lastModified: new Date("2026-09-01") }),
        obj({ bucket: "ml-experiments", key: "runs/1/w.bin", lastModified: new Date("2026-01-01") }),
        obj({ bucket: "ml-experiments", key: "runs/2/w.bin", storageClass: "STANDARD_IA" }),
      ],
      { preferredKeepPrefixes: ["ml-models-prod/registry/"] },
    );
    const f = result.findings[0];
    expect(result.findings).toHaveLength(1);
    expect(f).toMatchObject({
      detector: "s3-duplicates",
      confidence: "high",
      proposedAction: "delete",
      resource: { type: "s3:object", id: "s3://ml-models-prod/registry/w.bin" },
    });
    expect(f?.evidence).toMatchObject({
      proven: true,
      proofMethod: "etag-md5",
      keep: {
        bucket: "ml-models-prod",
        key: "registry/w.bin",
        reason: "under preferred prefix ml-models-prod/registry/",
      },
      wastedBytes: 2 * SIZE,
      toDelete: [
        { bucket: "ml-experiments", key: "runs/1/w.bin", etag: MD5_A },
        { bucket: "ml-experiments", key: "runs/2/w.bin", etag: MD5_A },
      ],
    });
    const gib = SIZE / 1024 ** 3;
    expect(f?.monthlyCostUsd).toBeCloseTo(gib * (0.023 + 0.0125), 2);
    expect(f?.evidence["monthlyWasteUsdByStorageClass"]).toEqual({
      STANDARD: Number((gib * 0.023).toFixed(2)),
      STANDARD_IA: Number((gib * 0.0125).toFixed(2)),
    });
  });

  it("reports probable groups with low confidence and never proposes deleting them", () => {
    const result = run([
      obj({
        key: "a",
        etag: "ffffffffffffffffffffffffffffffff-4",
        notHashed: "byte budget of 0 bytes spent",
      }),
      obj({
        key: "b",
        etag: "ffffffffffffffffffffffffffffffff-4",
        notHashed: "byte budget of 0 bytes spent",
      }),
    ]);
    expect(result.findings[0]).toMatchObject({ confidence: "low", proposedAction: "none" });
    expect(result.findings[0]?.evidence["toDelete"]).toEqual([]);
  });

  it("never offers a copy under Object Lock or legal hold", () => {
    const result = run([
      obj({ key: "a", lastModified: new Date("2026-01-01") }),
      obj({ key: "b", locked: true }),
      obj({ key: "c" }),
    ]);
    const f = result.findings[0];
    expect(f?.evidence["toDelete"]).toEqual([{ bucket: "ml-models-prod", key: "c", etag: MD5_A }]);
    expect(f?.evidence["lockedCopies"]).toEqual(["ml-models-prod/b"]);

    const allLocked = run([
      obj({ key: "a", lastModified: new Date("2026-01-01") }),
      obj({ key: "b", locked: true }),
    ]);
    expect(allLocked.findings[0]).toMatchObject({ confidence: "medium", proposedAction: "none" });
  });

  it("never offers a copy in a production or protected bucket, keeps it first, and asks the deletable copies' owner", () => {
    const bucket = (name: string, tags: Record<string, string>) => ({
      name,
      arn: `arn:aws:s3:::${name}`,
      region: "us-east-1",
      creationDate: new Date("2025-01-01"),
      tags,
    });
    const buckets = [
      bucket("ml-models-prod", { team: "platform", environment: "production" }),
      bucket("ml-experiments", { team: "research", owner: "ana@example.com" }),
      bucket("ml-archive", { "janitor:protect": "true" }),
    ];
    const objects = [
      obj({ bucket: "ml-experiments", key: "exp/a", lastModified: new Date("2026-01-01") }),
      obj({ bucket: "ml-models-prod", key: "deploy/b", lastModified: new Date("2026-03-01") }),
      obj({ bucket: "ml-archive", key: "old/d", lastModified: new Date("2026-04-01") }),
      obj({ bucket: "ml-experiments", key: "exp/c", lastModified: new Date("2026-05-01") }),
    ];
    const ctx = context(params, { policy: "duplicate-weights" });
    const result = s3Duplicates.detect(
      emptyInventory({ s3Objects: objects, buckets }),
      metricsFrom(() => undefined),
      ctx,
    );
    const f = result.findings[0]!;
    // The production copy stays whatever happens: it is the one kept, not the older experiment copy.
    expect(f.evidence["keep"]).toEqual({
      bucket: "ml-models-prod",
      key: "deploy/b",
      reason: "stays anyway: production bucket ml-models-prod (environment=production)",
    });
    expect(f.evidence["toDelete"]).toEqual([
      { bucket: "ml-experiments", key: "exp/a", etag: MD5_A },
      { bucket: "ml-experiments", key: "exp/c", etag: MD5_A },
    ]);
    expect(f.evidence["protectedCopies"]).toEqual([
      { copy: "ml-archive/old/d", why: "protect tag janitor:protect on bucket ml-archive" },
    ]);
    expect(f.owner).toEqual({ email: "ana@example.com", team: "research" });
    expect(f.resource.tags).toEqual({ team: "research", owner: "ana@example.com" });
    expect(result.excluded).toEqual([]);
  });

  it("in versioned buckets counts the copies as waste but not as a saving, and says why", () => {
    const result = run([
      obj({
        key: "a",
        size: 20 * 1024 * MIB,
        lastModified: new Date("2026-01-01"),
        versioned: true,
        versionId: "v1",
      }),
      obj({ key: "b", size: 20 * 1024 * MIB, versioned: true, versionId: "v2" }),
    ]);
    const f = result.findings[0];
    expect(f?.monthlyCostUsd).toBeGreaterThan(0);
    expect(f?.evidence).toMatchObject({
      monthlySavingOnDeleteUsd: 0,
      toDelete: [{ bucket: "ml-models-prod", key: "b", versionId: "v2" }],
      versionedNote: expect.stringContaining("noncurrent"),
    });
  });

  it("narrows to the policy's scope and honours name exclusions", () => {
    const objects = [
      obj({ key: "a" }),
      obj({ bucket: "other", key: "a" }),
      obj({ bucket: "other", key: "tmp/b" }),
    ];
    expect(run(objects, { scope: ["ml-models-prod"] }).findings).toEqual([]);
    expect(run(objects, { scope: ["other/tmp/", "ml-models-prod"] }).findings).toHaveLength(1);
    const ctx = context({ ...params }, { exclude: { tags: {}, namePatterns: ["other/*"] } });
    const r = s3Duplicates.detect(
      emptyInventory({ s3Objects: objects }),
      metricsFrom(() => undefined),
      ctx,
    );
    expect(r.findings).toEqual([]);
    expect(r.excluded).toHaveLength(2);
  });

  it("gives the same finding id whichever copy is kept", () => {
    const a = run([obj({ key: "a" }), obj({ key: "b" })]).findings[0];
    const b = run([obj({ key: "a" }), obj({ key: "b" })], { preferredKeepPrefixes: ["ml-models-prod/b"] })
      .findings[0];
    expect(a?.id).toBe(b?.id);
    expect(a?.resource.id).not.toBe(b?.resource.id);
  });
});
