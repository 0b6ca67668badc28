import { describe, expect, it } from "vitest";
import { s3DuplicatesParams } from "../../../shared/detectors/s3-duplicates.ts";
import {
  chooseSource,
  coveringPrefixes,
  DEFAULT_S3_SCAN_PLAN,
  deliveryDate,
  hivePartitionOf,
  type InventoryConfigLike,
  inventoryUnusableBecause,
  pickInventoryConfig,
  planFromPolicies,
  type S3ScanPlan,
  streamCapacity,
} from "../../../shared/s3/object-source-plan.ts";

const MIB = 1024 * 1024;
const params = (p: Record<string, unknown>) => s3DuplicatesParams.parse(p);

describe("planFromPolicies", () => {
  it("reads the union of the policies' scopes, with the smallest floor", () => {
    const plan = planFromPolicies([
      params({ scope: ["ml-models-prod/registry/", "s3://ml-experiments/runs/"], minSizeBytes: 4 * MIB }),
      params({ scope: ["ml-experiments/runs/7/", "ml-models-prod/registry/llm/"], minSizeBytes: 2 * MIB }),
      params({ scope: ["ml-datasets"] }),
    ]);
    expect(plan.targets).toEqual(
      new Map([
        ["ml-models-prod", ["registry/"]],
        ["ml-experiments", ["runs/"]],
        ["ml-datasets", [""]],
      ]),
    );
    expect(plan.minSize).toBe(MIB);
  });

  it("reads every bucket when any policy has an empty scope", () => {
    const plan = planFromPolicies([params({ scope: ["ml-models-prod"] }), params({})]);
    expect(plan.targets).toBe("all");
  });

  it("takes the most tolerant limits and the first Athena settings", () => {
    const athena = { workgroup: "primary", database: "janitor" };
    const plan = planFromPolicies([
      params({ scope: ["a"], inventoryMaxAgeHours: 24, listingMaxObjects: 1000, athenaAboveObjects: 10 }),
      params({
        scope: ["b"],
        inventoryMaxAgeHours: 200,
        listingMaxObjects: 5000,
        athenaAboveObjects: 99,
        athena,
      }),
    ]);
    expect(plan).toMatchObject({
      inventoryMaxAgeHours: 200,
      listingMaxObjects: 5000,
      athenaAboveObjects: 99,
      athena,
    });
  });

  it("without policies, reads every bucket with the defaults", () => {
    expect(planFromPolicies([])).toEqual(DEFAULT_S3_SCAN_PLAN);
    expect(planFromPolicies([params({})])).toMatchObject({ ...DEFAULT_S3_SCAN_PLAN, targets: "all" });
  });

  it("keeps only the prefixes not covered by another", () => {
    expect(coveringPrefixes(["a/b/", "a/", "c/", "a/b/c"])).toEqual(["a/", "c/"]);
    expect(coveringPrefixes(["x/", ""])).toEqual([""]);
  });

  it("refuses unknown or bad params (strict)", () => {
    expect(() => params({ athenaAboveObject: 5 })).toThrow(/athenaAboveObject/);
    expect(() => params({ athena: { workgroup: "w", database: "bad-name" } })).toThrow(/letters, digits/);
    expect(() => params({ athena: { workgroup: "w", database: "d", outputLocation: "bucket/x" } })).toThrow(
      /s3:\/\/bucket\/prefix/,
    );
  });
});

describe("which inventory configuration can serve", () => {
  const good: InventoryConfigLike = {
    Id: "daily",
    IsEnabled: true,
    Destination: { S3BucketDestination: { Bucket: "arn:aws:s3:::inv", Format: "CSV" } },
    OptionalFields: ["Size", "ETag", "IsMultipartUploaded", "EncryptionStatus", "StorageClass"],
  };

  it.each([
    [{ ...good, IsEnabled: false }, "inventory daily is disabled"],
    [
      { ...good, Destination: { S3BucketDestination: { Bucket: "arn:aws:s3:::inv", Format: "Parquet" } } },
      "inventory daily is Parquet, and only CSV reports are streamed",
    ],
    [
      { ...good, OptionalFields: ["Size", "ETag"] },
      "inventory daily lacks the field(s) IsMultipartUploaded, EncryptionStatus",
    ],
    [
      { ...good, Filter: { Prefix: "logs/" } },
      "inventory daily covers only prefix logs/, narrower than the scan",
    ],
  ])("%#: refuses with a reason", (config, why) => {
    expect(inventoryUnusableBecause(config, ["runs/"])).toBe(why);
  });

  it("accepts an enabled CSV inventory with the fields, filtered to a prefix the scan lies in", () => {
    expect(inventoryUnusableBecause(good, [""])).toBeUndefined();
    expect(inventoryUnusableBecause({ ...good, Filter: { Prefix: "runs/" } }, ["runs/7/"])).toBeUndefined();
  });

  it("picks the first that can serve, or gives every reason", () => {
    expect(pickInventoryConfig([], [""])).toEqual({ why: "no S3 Inventory configuration" });
    const orc = { ...good, Id: "orc", Destination: { S3BucketDestination: { Format: "ORC" } } };
    expect(pickInventoryConfig([orc, good], [""])).toEqual({ config: good });
    expect(pickInventoryConfig([orc, { ...good, IsEnabled: false }], [""])).toEqual({
      why: "inventory orc is ORC, and only CSV reports are streamed; inventory daily is disabled",
    });
  });
});

describe("chooseSource: the cut-over", () => {
  const plan: S3ScanPlan = { ...DEFAULT_S3_SCAN_PLAN, listingMaxObjects: 1_000, athenaAboveObjects: 50_000 };
  const withAthena: S3ScanPlan = { ...plan, athena: { workgroup: "primary", database: "janitor" } };
  const capacity = { rowsPerSecond: 100, seconds: 600, maxRows: 58_000 }; // 60,000 rows by time, 58,000 by memory

  it.each([
    // inventory usable?, objects, plan, expected source
    [undefined, 500, plan, "inventory"],
    [undefined, undefined, plan, "inventory"],
    [undefined, 50_000, withAthena, "inventory"],
    [undefined, 50_001, withAthena, "athena"],
    [undefined, 55_000, plan, "inventory"],
    [undefined, 58_001, plan, "skip"],
    [undefined, 60_001, plan, "skip"],
    // Too big to stream: Athena where configured, whatever athenaAboveObjects says.
    [undefined, 58_001, { ...withAthena, athenaAboveObjects: 1_000_000 }, "athena"],
    ["no S3 Inventory configuration", 1_000, plan, "listing"],
    ["no S3 Inventory configuration", undefined, plan, "listing"],
    ["no S3 Inventory configuration", 1_001, plan, "skip"],
    ["inventory daily is Parquet", 2_000_000, withAthena, "skip"],
  ] as const)("inventory %s, %s objects → %s", (why, objects, p, source) => {
    expect(chooseSource({ inventoryWhyNot: why, objects, plan: p, capacity }).source).toBe(source);
  });

  it("says why a bucket is skipped", () => {
    expect(
      chooseSource({ inventoryWhyNot: "no S3 Inventory configuration", objects: 1_001, plan, capacity }).why,
    ).toBe(
      "too large to list (≈1,001 objects > listingMaxObjects 1000): configure S3 Inventory (no S3 Inventory configuration)",
    );
    expect(chooseSource({ inventoryWhyNot: undefined, objects: 120_000, plan, capacity }).why).toBe(
      "≈120,000 objects: streaming the inventory at ~100 rows/s would take ≈1200 s, past the 600 s a scan may spend; configure the policy's athena settings",
    );
    expect(chooseSource({ inventoryWhyNot: undefined, objects: 59_000, plan, capacity }).why).toBe(
      "≈59,000 objects: streaming the inventory needs more memory than the scan has (it holds ≈58,000 rows; raise the scan Lambda's memorySize); configure the policy's athena settings",
    );
  });

  it("plans the Lambda's capacity from its memory", () => {
    expect(streamCapacity(2048)).toEqual({ rowsPerSecond: 350_000, seconds: 600, maxRows: 9_761_289 });
    expect(streamCapacity(10_240).maxRows).toBe(48_806_446);
  });
});

describe("delivery folders", () => {
  it("reads the date of a delivery folder and its hive partition", () => {
    expect(deliveryDate("2026-11-22T01-00Z")).toEqual(new Date("2026-11-22T01:00:00Z"));
    expect(deliveryDate("hive")).toBeUndefined();
    expect(deliveryDate("data")).toBeUndefined();
    expect(hivePartitionOf("2026-11-22T01-00Z")).toBe("2026-11-22-01-00");
    expect(() => hivePartitionOf("2026-11-22")).toThrow(/not an inventory delivery folder/);
  });
});
