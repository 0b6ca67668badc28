import { Readable } from "node:stream";
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from "@aws-sdk/client-athena";
import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import {
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  type InventoryConfiguration,
  ListBucketInventoryConfigurationsCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { type LoaderNote, loadS3ObjectsBySource } from "../../../shared/aws/s3-object-source.ts";
import { s3DuplicatesParams } from "../../../shared/detectors/s3-duplicates.ts";
import { planFromPolicies } from "../../../shared/s3/object-source-plan.ts";

const s3 = mockClient(S3Client);
const cloudwatch = mockClient(CloudWatchClient);
const athena = mockClient(AthenaClient);
const REGION = "us-east-1";
const NOW = new Date("2026-11-22T09:00:00Z");
const MIB = 1024 * 1024;
const clients = {
  s3: new S3Client({ region: REGION }),
  cloudwatch: new CloudWatchClient({ region: REGION }),
  athena: new AthenaClient({ region: REGION }),
};
const fast = {
  timeoutMs: 60_000,
  firstPollMs: 1,
  maxPollMs: 1,
  sleep: async () => {},
  clock: () => 0,
};
const options = { minSize: MIB, byteBudget: 0, concurrency: 2, athenaRun: fast };

/** CloudWatch answers each bucket's NumberOfObjects with the given count. */
function objectCounts(counts: Record<string, number>) {
  cloudwatch.on(GetMetricDataCommand).callsFake((input: { MetricDataQueries: MetricDataQuery[] }) => ({
    MetricDataResults: input.MetricDataQueries.flatMap((q) => {
      const bucket = q.MetricStat?.Metric?.Dimensions?.find((d) => d.Name === "BucketName")?.Value ?? "";
      const n = counts[bucket];
      return n === undefined
        ? []
        : [{ Id: q.Id, Timestamps: [new Date("2026-11-21T00:00:00Z")], Values: [n] }];
    }),
  }));
}

const object = (Key: string, Size: number, ETag = `"${Key.length.toString(16).padStart(32, "0")}"`) => ({
  Key,
  Size,
  ETag,
  LastModified: new Date("2026-11-01T00:00:00Z"),
  StorageClass: "STANDARD" as const,
});

beforeEach(() => {
  s3.reset();
  cloudwatch.reset();
  athena.reset();
  s3.on(ListBucketsCommand).resolves({
    Buckets: ["ml-models-prod", "ml-experiments", "ml-logs"].map((Name) => ({ Name, BucketRegion: REGION })),
  });
  s3.on(ListBucketInventoryConfigurationsCommand).resolves({ InventoryConfigurationList: [] });
  s3.on(GetBucketVersioningCommand).resolves({});
  s3.on(ListObjectsV2Command).resolves({ Contents: [] });
  s3.on(HeadObjectCommand).resolves({ ETag: '"00000000000000000000000000000000"' });
  objectCounts({});
});

describe("loadS3ObjectsBySource", () => {
  it("lists only the prefix a policy scopes, and asks CloudWatch once for that bucket", async () => {
    s3.on(ListObjectsV2Command, { Bucket: "ml-experiments", Prefix: "runs/" }).resolves({
      Contents: [object("runs/1/w.bin", 2 * MIB, '"aa"'), object("runs/2/w.bin", 2 * MIB, '"aa"')],
    });
    const plan = planFromPolicies([s3DuplicatesParams.parse({ scope: ["ml-experiments/runs/"] })]);

    const objects = await loadS3ObjectsBySource(clients, REGION, plan, NOW, () => {}, options);

    expect(s3).toHaveReceivedCommandTimes(ListObjectsV2Command, 1);
    expect(s3).toHaveReceivedCommandWith(ListObjectsV2Command, { Bucket: "ml-experiments", Prefix: "runs/" });
    expect(s3).toHaveReceivedCommandTimes(ListBucketInventoryConfigurationsCommand, 1);
    expect(s3).toHaveReceivedCommandWith(ListBucketInventoryConfigurationsCommand, {
      Bucket: "ml-experiments",
    });
    expect(cloudwatch).toHaveReceivedCommandTimes(GetMetricDataCommand, 1);
    const queries = cloudwatch.commandCalls(GetMetricDataCommand)[0]?.args[0].input.MetricDataQueries ?? [];
    expect(queries.map((q) => q.MetricStat)).toEqual([
      {
        Metric: {
          Namespace: "AWS/S3",
          MetricName: "NumberOfObjects",
          Dimensions: [
            { Name: "BucketName", Value: "ml-experiments" },
            { Name: "StorageType", Value: "AllStorageTypes" },
          ],
        },
        Period: 86400,
        Stat: "Average",
      },
    ]);
    expect(objects.map((o) => [o.key, o.source])).toEqual([
      ["runs/1/w.bin", "listing"],
      ["runs/2/w.bin", "listing"],
    ]);
  });

  it("HEADs the largest candidates first, up to maxHeads; the rest stay unproven and say why", async () => {
    s3.on(ListObjectsV2Command, { Bucket: "ml-experiments" }).resolves({
      Contents: [
        object("a/big-1", 4 * MIB, '"aa"'),
        object("a/big-2", 4 * MIB, '"aa"'),
        object("a/small-1", 2 * MIB, '"bb"'),
        object("a/small-2", 2 * MIB, '"bb"'),
      ],
    });
    const plan = planFromPolicies([s3DuplicatesParams.parse({ scope: ["ml-experiments"] })]);

    const objects = await loadS3ObjectsBySource(clients, REGION, plan, NOW, () => {}, {
      ...options,
      maxHeads: 2,
    });

    expect(s3).toHaveReceivedCommandTimes(HeadObjectCommand, 2);
    expect(s3).toHaveReceivedCommandWith(HeadObjectCommand, { Bucket: "ml-experiments", Key: "a/big-1" });
    expect(s3).toHaveReceivedCommandWith(HeadObjectCommand, { Bucket: "ml-experiments", Key: "a/big-2" });
    expect(objects.filter((o) => o.notHashed).map((o) => [o.key, o.notHashed])).toEqual([
      ["a/small-1", "HEAD budget of 2 objects spent"],
      ["a/small-2", "HEAD budget of 2 objects spent"],
    ]);
  });

  it("skips a bucket too large to list without an inventory, and says how to fix it", async () => {
    objectCounts({ "ml-logs": 3_000_000, "ml-experiments": 10 });
    const notes: LoaderNote[] = [];
    const plan = planFromPolicies([s3DuplicatesParams.parse({ scope: ["ml-logs", "ml-experiments"] })]);

    await loadS3ObjectsBySource(clients, REGION, plan, NOW, (n) => notes.push(n), options);

    expect(s3).toHaveReceivedCommandTimes(ListObjectsV2Command, 1);
    expect(s3).toHaveReceivedCommandWith(ListObjectsV2Command, { Bucket: "ml-experiments" });
    expect(notes).toEqual([
      {
        level: "error",
        message:
          "bucket ml-logs skipped: too large to list (≈3,000,000 objects > listingMaxObjects 2000000): configure S3 Inventory (no S3 Inventory configuration)",
      },
    ]);
  });

  it("lists a bucket whose inventory is Parquet, and notes why", async () => {
    const parquet: InventoryConfiguration = {
      Id: "pq",
      IsEnabled: true,
      IncludedObjectVersions: "Current",
      Schedule: { Frequency: "Daily" },
      Destination: { S3BucketDestination: { Bucket: "arn:aws:s3:::inv", Format: "Parquet" } },
      OptionalFields: ["Size", "ETag", "IsMultipartUploaded", "EncryptionStatus"],
    };
    s3.on(ListBucketInventoryConfigurationsCommand, { Bucket: "ml-models-prod" }).resolves({
      InventoryConfigurationList: [parquet],
    });
    const notes: LoaderNote[] = [];
    const plan = planFromPolicies([s3DuplicatesParams.parse({ scope: ["ml-models-prod"] })]);

    await loadS3ObjectsBySource(clients, REGION, plan, NOW, (n) => notes.push(n), options);

    expect(s3).toHaveReceivedCommandWith(ListObjectsV2Command, { Bucket: "ml-models-prod" });
    expect(notes).toEqual([
      {
        level: "info",
        message:
          "bucket ml-models-prod: read by listing (inventory pq is Parquet, and only CSV reports are streamed; an unknown number of objects, listed)",
      },
    ]);
  });

  it("queries Athena for a huge inventory: creates the table once, reads the candidates, HEADs the unproven", async () => {
    const config: InventoryConfiguration = {
      Id: "daily",
      IsEnabled: true,
      IncludedObjectVersions: "Current",
      Schedule: { Frequency: "Daily" },
      Destination: {
        S3BucketDestination: { Bucket: "arn:aws:s3:::ml-inventory", Prefix: "inv", Format: "CSV" },
      },
      OptionalFields: [
        "Size",
        "ETag",
        "IsMultipartUploaded",
        "EncryptionStatus",
        "LastModifiedDate",
        "StorageClass",
      ],
    };
    s3.on(ListBucketInventoryConfigurationsCommand, { Bucket: "ml-experiments" }).resolves({
      InventoryConfigurationList: [config],
    });
    s3.on(ListObjectsV2Command, { Bucket: "ml-inventory" }).resolves({
      CommonPrefixes: [{ Prefix: "inv/ml-experiments/daily/2026-11-22T01-00Z/" }],
    });
    const manifest = JSON.stringify({
      sourceBucket: "ml-experiments",
      destinationBucket: "arn:aws:s3:::ml-inventory",
      fileFormat: "CSV",
      fileSchema:
        "Bucket, Key, Size, LastModifiedDate, ETag, StorageClass, IsMultipartUploaded, EncryptionStatus",
      files: [{ key: "inv/ml-experiments/daily/data/x.csv.gz", size: 1, MD5checksum: "00" }],
    });
    s3.on(GetObjectCommand).resolves({
      Body: Object.assign(Readable.from([Buffer.from(manifest)]), {
        transformToString: async () => manifest,
      }) as never,
    });
    objectCounts({ "ml-experiments": 80_000_000 });
    athena
      .on(StartQueryExecutionCommand)
      .resolvesOnce({ QueryExecutionId: "ddl-1" })
      .resolvesOnce({ QueryExecutionId: "q-7" });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: "SUCCEEDED" } } });
    const columns = [
      "bucket",
      "key",
      "size",
      "e_tag",
      "storage_class",
      "is_multipart_uploaded",
      "encryption_status",
      "last_modified_date",
      "proof_key",
    ];
    const types: Record<string, string> = { size: "bigint", is_multipart_uploaded: "boolean" };
    const row = (values: string[]) => ({ Data: values.map((v) => (v === "" ? {} : { VarCharValue: v })) });
    athena.on(GetQueryResultsCommand, { QueryExecutionId: "q-7" }).resolves({
      ResultSet: {
        ResultSetMetadata: { ColumnInfo: columns.map((Name) => ({ Name, Type: types[Name] ?? "varchar" })) },
        Rows: [
          row(columns),
          row([
            "ml-experiments",
            "runs/1/w.bin",
            String(2 * MIB),
            "aa",
            "STANDARD",
            "false",
            "NOT-SSE",
            "2026-11-01T00:00:00.000Z",
            "md5:aa",
          ]),
          row([
            "ml-experiments",
            "runs/2/w%20b.bin",
            String(2 * MIB),
            "bb-2",
            "STANDARD",
            "true",
            "NOT-SSE",
            "2026-11-02T00:00:00.000Z",
            "",
          ]),
        ],
      },
    });
    athena.on(GetQueryResultsCommand, { QueryExecutionId: "ddl-1" }).resolves({ ResultSet: { Rows: [] } });
    const plan = planFromPolicies([
      s3DuplicatesParams.parse({
        scope: ["ml-experiments"],
        athena: { workgroup: "primary", database: "janitor", outputLocation: "s3://ml-athena/janitor/" },
      }),
    ]);
    const notes: LoaderNote[] = [];

    const objects = await loadS3ObjectsBySource(clients, REGION, plan, NOW, (n) => notes.push(n), options);

    const ddl = athena.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input;
    expect(ddl?.QueryString).toContain(
      "CREATE EXTERNAL TABLE IF NOT EXISTS `janitor`.`ml_janitor_inventory_ml_experiments_daily`",
    );
    expect(ddl?.QueryString).toContain("LOCATION 's3://ml-inventory/inv/ml-experiments/daily/hive/'");
    const query = athena.commandCalls(StartQueryExecutionCommand)[1]?.args[0].input;
    expect(query).toMatchObject({
      WorkGroup: "primary",
      QueryExecutionContext: { Database: "janitor" },
      ResultConfiguration: { OutputLocation: "s3://ml-athena/janitor/" },
    });
    expect(query?.QueryString).toContain(
      `FROM (SELECT * FROM "janitor"."ml_janitor_inventory_ml_experiments_daily" WHERE dt = '2026-11-22-01-00') AS inventory`,
    );
    expect(s3).not.toHaveReceivedCommandWith(ListObjectsV2Command, { Bucket: "ml-experiments" });
    // Only the multipart candidate needs a HEAD; the MD5 ETag is proof enough.
    expect(s3).toHaveReceivedCommandTimes(HeadObjectCommand, 1);
    expect(s3).toHaveReceivedCommandWith(HeadObjectCommand, {
      Bucket: "ml-experiments",
      Key: "runs/2/w b.bin",
    });
    expect(objects.map((o) => [o.key, o.source])).toEqual([
      ["runs/1/w.bin", "athena query q-7 (inventory 2026-11-22T01-00Z)"],
      ["runs/2/w b.bin", "athena query q-7 (inventory 2026-11-22T01-00Z)"],
    ]);
    expect(notes).toEqual([
      {
        level: "info",
        message:
          "bucket ml-experiments: read by athena (≈80,000,000 objects, above athenaAboveObjects (50000000))",
      },
    ]);
  });
});
