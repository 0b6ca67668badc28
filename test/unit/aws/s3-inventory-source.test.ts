import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import {
  GetObjectCommand,
  type InventoryConfiguration,
  ListBucketInventoryConfigurationsCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import {
  combinedReport,
  findInventory,
  InventoryChecksumError,
  type InventoryDelivery,
  inventoryConfigurations,
} from "../../../shared/aws/s3-inventory-source.ts";
import { inventoryCandidates } from "../../../shared/s3/inventory-csv.ts";

const s3 = mockClient(S3Client);
const client = new S3Client({ region: "us-east-1" });
const NOW = new Date("2026-11-22T09:00:00Z");
const SCHEMA =
  "Bucket, Key, Size, LastModifiedDate, ETag, StorageClass, IsMultipartUploaded, EncryptionStatus";

const config = (over: Partial<InventoryConfiguration> = {}): InventoryConfiguration => ({
  Id: "daily",
  IsEnabled: true,
  IncludedObjectVersions: "Current",
  Schedule: { Frequency: "Daily" },
  Destination: { S3BucketDestination: { Bucket: "arn:aws:s3:::ml-inventory", Prefix: "inv", Format: "CSV" } },
  OptionalFields: [
    "Size",
    "ETag",
    "IsMultipartUploaded",
    "EncryptionStatus",
    "LastModifiedDate",
    "StorageClass",
  ],
  ...over,
});

/** A GetObject body as the SDK gives it in Node: a Readable with transformToString. */
const body = (content: string | Buffer) => {
  const bytes = typeof content === "string" ? Buffer.from(content) : content;
  return Object.assign(Readable.from([bytes]), { transformToString: async () => bytes.toString("utf8") });
};

const manifest = (files = [{ key: "inv/ml-data/daily/data/a.csv.gz", size: 10, MD5checksum: "ab" }]) =>
  JSON.stringify({
    sourceBucket: "ml-data",
    destinationBucket: "arn:aws:s3:::ml-inventory",
    fileFormat: "CSV",
    fileSchema: SCHEMA,
    files,
  });

beforeEach(() => {
  s3.reset();
});

function deliveries(...folders: string[]) {
  s3.on(ListObjectsV2Command, {
    Bucket: "ml-inventory",
    Prefix: "inv/ml-data/daily/",
    Delimiter: "/",
  }).resolves({
    CommonPrefixes: [...folders, "data", "hive"].map((f) => ({ Prefix: `inv/ml-data/daily/${f}/` })),
  });
}

describe("inventoryConfigurations", () => {
  it("pages through ListBucketInventoryConfigurations", async () => {
    s3.on(ListBucketInventoryConfigurationsCommand)
      .resolvesOnce({
        InventoryConfigurationList: [config({ Id: "a" })],
        IsTruncated: true,
        NextContinuationToken: "t2",
      })
      .resolvesOnce({ InventoryConfigurationList: [config({ Id: "b" })], IsTruncated: false });

    const configs = await inventoryConfigurations(client, "ml-data");

    expect(configs.map((c) => c.Id)).toEqual(["a", "b"]);
    expect(s3).toHaveReceivedNthCommandWith(ListBucketInventoryConfigurationsCommand, 1, {
      Bucket: "ml-data",
    });
    expect(s3).toHaveReceivedNthCommandWith(ListBucketInventoryConfigurationsCommand, 2, {
      Bucket: "ml-data",
      ContinuationToken: "t2",
    });
  });
});

describe("findInventory", () => {
  const find = (now = NOW, maxAgeHours = 48) => findInventory(client, "ml-data", [""], now, maxAgeHours);

  it("none configured", async () => {
    s3.on(ListBucketInventoryConfigurationsCommand).resolves({ InventoryConfigurationList: [] });
    expect(await find()).toEqual({ why: "no S3 Inventory configuration" });
    expect(s3).not.toHaveReceivedCommand(ListObjectsV2Command);
  });

  it.each([
    [config({ IsEnabled: false }), "inventory daily is disabled"],
    [
      config({ Destination: { S3BucketDestination: { Bucket: "arn:aws:s3:::x", Format: "Parquet" } } }),
      "inventory daily is Parquet, and only CSV reports are streamed",
    ],
    [
      config({ OptionalFields: ["Size", "ETag", "StorageClass"] }),
      "inventory daily lacks the field(s) IsMultipartUploaded, EncryptionStatus",
    ],
  ])("%#: unusable configuration, with the reason, and no delivery read", async (c, why) => {
    s3.on(ListBucketInventoryConfigurationsCommand).resolves({ InventoryConfigurationList: [c] });
    expect(await find()).toEqual({ why });
    expect(s3).not.toHaveReceivedCommand(ListObjectsV2Command);
    expect(s3).not.toHaveReceivedCommand(GetObjectCommand);
  });

  it("uses the newest delivery folder when it is fresh", async () => {
    s3.on(ListBucketInventoryConfigurationsCommand).resolves({ InventoryConfigurationList: [config()] });
    deliveries("2026-11-20T01-00Z", "2026-11-22T01-00Z", "2026-11-21T01-00Z");
    s3.on(GetObjectCommand, {
      Bucket: "ml-inventory",
      Key: "inv/ml-data/daily/2026-11-22T01-00Z/manifest.json",
    }).resolves({
      Body: body(manifest()) as never,
    });

    const found = (await find()) as InventoryDelivery;

    expect(found).toMatchObject({
      sourceBucket: "ml-data",
      configId: "daily",
      destinationBucket: "ml-inventory",
      destinationPrefix: "inv",
      folder: "2026-11-22T01-00Z",
      date: new Date("2026-11-22T01:00:00Z"),
    });
    expect(found.manifest.files).toHaveLength(1);
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 1);
  });

  it("falls back to the previous delivery while the newest has no manifest yet", async () => {
    s3.on(ListBucketInventoryConfigurationsCommand).resolves({ InventoryConfigurationList: [config()] });
    deliveries("2026-11-21T01-00Z", "2026-11-22T01-00Z");
    s3.on(GetObjectCommand, { Key: "inv/ml-data/daily/2026-11-22T01-00Z/manifest.json" }).rejects(
      Object.assign(new Error("The specified key does not exist."), { name: "NoSuchKey" }),
    );
    s3.on(GetObjectCommand, { Key: "inv/ml-data/daily/2026-11-21T01-00Z/manifest.json" }).resolves({
      Body: body(manifest()) as never,
    });
    expect(await find()).toMatchObject({ folder: "2026-11-21T01-00Z" });
  });

  it("refuses a stale delivery", async () => {
    s3.on(ListBucketInventoryConfigurationsCommand).resolves({ InventoryConfigurationList: [config()] });
    deliveries("2026-11-22T01-00Z");
    s3.on(GetObjectCommand).resolves({ Body: body(manifest()) as never });
    expect(await find(new Date("2026-11-24T02:00:00Z"))).toEqual({
      why: "newest inventory daily (2026-11-22T01-00Z) is 49 h old, more than inventoryMaxAgeHours 48",
    });
  });

  it("says when nothing was delivered", async () => {
    s3.on(ListBucketInventoryConfigurationsCommand).resolves({ InventoryConfigurationList: [config()] });
    s3.on(ListObjectsV2Command).resolves({ CommonPrefixes: [] });
    expect(await find()).toEqual({
      why: "inventory daily has no delivered manifest under s3://ml-inventory/inv/ml-data/daily/",
    });
  });
});

describe("combinedReport", () => {
  const rows =
    '"ml-data","a.bin","2097152","2026-11-01T00:00:00.000Z","0123456789abcdef0123456789abcdef","STANDARD","false","NOT-SSE"\n';
  const gz = gzipSync(rows);
  const delivery = (md5: string): InventoryDelivery => ({
    sourceBucket: "ml-data",
    configId: "daily",
    destinationBucket: "ml-inventory",
    destinationPrefix: "inv",
    folder: "2026-11-22T01-00Z",
    date: new Date("2026-11-22T01:00:00Z"),
    manifest: JSON.parse(
      manifest([{ key: "inv/ml-data/daily/data/a.csv.gz", size: gz.length, MD5checksum: md5 }]),
    ),
  });

  it("streams a file whose MD5 matches the manifest", async () => {
    const { createHash } = await import("node:crypto");
    s3.on(GetObjectCommand).callsFake(() => ({ Body: body(gz) }));
    const { manifest: m, open } = combinedReport(client, [
      delivery(createHash("md5").update(gz).digest("hex")),
    ]);

    const records = await inventoryCandidates(m, open, {
      minSize: 1,
      region: "us-east-1",
      now: NOW,
      keepUnresolved: true,
      otherSizes: [2097152],
    });

    expect(records.map((r) => r.key)).toEqual(["a.bin"]);
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, {
      Bucket: "ml-inventory",
      Key: "inv/ml-data/daily/data/a.csv.gz",
    });
  });

  it("fails the read with the bucket named when the MD5 does not match", async () => {
    s3.on(GetObjectCommand).callsFake(() => ({ Body: body(gz) }));
    const { manifest: m, open } = combinedReport(client, [delivery("f".repeat(32))]);

    const read = inventoryCandidates(m, open, { minSize: 1, region: "us-east-1", now: NOW });

    await expect(read).rejects.toBeInstanceOf(InventoryChecksumError);
    await expect(read).rejects.toMatchObject({
      bucket: "ml-data",
      message: expect.stringContaining(
        "inventory file s3://ml-inventory/inv/ml-data/daily/data/a.csv.gz of bucket ml-data has MD5",
      ),
    });
  });
});
