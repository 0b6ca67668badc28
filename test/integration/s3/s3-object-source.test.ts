import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { AthenaClient } from "@aws-sdk/client-athena";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  type InventoryConfiguration,
  ListBucketInventoryConfigurationsCommand,
  type ListBucketInventoryConfigurationsCommandOutput,
  S3Client,
  type S3ClientConfig,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createBucket, putObject } from "../../../shared/aws/s3.ts";
import { type LoaderNote, loadS3ObjectsBySource } from "../../../shared/aws/s3-object-source.ts";
import { listObjects, loadS3Objects } from "../../../shared/aws/s3-objects.ts";
import { emptyInventory } from "../../../shared/detectors/inventory.ts";
import { s3Duplicates, s3DuplicatesParams } from "../../../shared/detectors/s3-duplicates.ts";
import { contentFor } from "../../../shared/local/content.ts";
import { GENERATED_SCHEMA } from "../../../shared/local/inventory-generator.ts";
import { type LocalS3, startLocalS3 } from "../../../shared/local/s3.ts";
import type { S3ObjectRecord } from "../../../shared/s3/duplicates.ts";
import { planFromPolicies } from "../../../shared/s3/object-source-plan.ts";
import type { Finding } from "../../../shared/types.ts";
import { context, metricsFrom } from "../../fixtures/endpoints.ts";

const MIB = 1024 * 1024;
const SIZE = 12 * MIB;
const REGION = "us-east-1";
const NOW = new Date("2026-11-22T09:00:00Z");
const FOLDER = "2026-11-22T01-00Z";
const DEST = "ml-inventory";
const BUCKETS = ["ml-models-prod", "ml-experiments"];

/**
 * s3rver has no S3 Inventory configuration API: this client answers
 * ListBucketInventoryConfigurations as S3 would for the configurations the test sets, and sends
 * every other command to s3rver.
 */
class S3WithInventoryConfigs extends S3Client {
  configs = new Map<string, InventoryConfiguration[]>();
  constructor(config: S3ClientConfig) {
    super(config);
  }
  override send(command: unknown, ...rest: unknown[]): Promise<never> {
    if (command instanceof ListBucketInventoryConfigurationsCommand) {
      const out: Partial<ListBucketInventoryConfigurationsCommandOutput> = {
        InventoryConfigurationList: this.configs.get(command.input.Bucket ?? "") ?? [],
        IsTruncated: false,
      };
      return Promise.resolve(out as never);
    }
    return (super.send as (...a: unknown[]) => Promise<never>)(command, ...rest);
  }
}

/** The same multipart rewrite as s3-duplicates-listing.test.ts: S3's `-N` ETag in s3rver's sidecar. */
async function putMultipart(
  client: S3Client,
  dataDir: string,
  bucket: string,
  key: string,
  body: Buffer,
  partSize: number,
) {
  const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
  const parts: Array<{ ETag: string; PartNumber: number }> = [];
  for (let i = 0, n = 1; i < body.length; i += partSize, n++) {
    const out = await client.send(
      new UploadPartCommand({
        Bucket: bucket,
        Key: key,
        UploadId,
        PartNumber: n,
        Body: body.subarray(i, i + partSize),
      }),
    );
    parts.push({ ETag: out.ETag ?? "", PartNumber: n });
  }
  await client.send(
    new CompleteMultipartUploadCommand({
      Bucket: bucket,
      Key: key,
      UploadId,
      MultipartUpload: { Parts: parts },
    }),
  );
  const partMd5s = parts.map((p) => Buffer.from(p.ETag.replace(/"/g, ""), "hex"));
  const s3Etag = `${createHash("md5").update(Buffer.concat(partMd5s)).digest("hex")}-${parts.length}`;
  const [dir, name] = [key.slice(0, key.lastIndexOf("/")), key.slice(key.lastIndexOf("/") + 1)];
  await writeFile(join(dataDir, bucket, dir, `${name}._S3rver_object.md5`), s3Etag);
}

/**
 * Writes an S3 Inventory delivery for `bucket` into the destination bucket, as S3 does: the rows
 * (keys URL-encoded, every value quoted) from the bucket's own listing, gzipped, and a manifest
 * with each file's MD5. `corrupt` gives the manifest a wrong MD5.
 */
async function deliverInventory(client: S3Client, bucket: string, options: { corrupt?: boolean } = {}) {
  const objects = await listObjects(client, bucket, REGION);
  const lines = objects.map((o) => {
    const multipart = o.etag.includes("-");
    const key = encodeURIComponent(o.key).replace(/%2F/g, "/");
    return `"${bucket}","${key}","${o.size}","${o.lastModified.toISOString()}","${o.etag}","STANDARD","${multipart}","NOT-SSE","","",""`;
  });
  const body = gzipSync(`${lines.join("\n")}\n`);
  const base = `inv/${bucket}/daily`;
  const dataKey = `${base}/data/6c1e9a4b-${bucket}.csv.gz`;
  await putObject(client, { bucket: DEST, key: dataKey, body });
  const md5 = options.corrupt ? "0".repeat(32) : createHash("md5").update(body).digest("hex");
  const manifest = {
    sourceBucket: bucket,
    destinationBucket: `arn:aws:s3:::${DEST}`,
    version: "2016-11-30",
    creationTimestamp: String(Date.parse("2026-11-22T01:00:00Z")),
    fileFormat: "CSV",
    fileSchema: GENERATED_SCHEMA,
    files: [{ key: dataKey, size: body.length, MD5checksum: md5 }],
  };
  // An older delivery too: the newest one must be the one read.
  for (const folder of ["2026-11-20T01-00Z", FOLDER]) {
    await putObject(client, {
      bucket: DEST,
      key: `${base}/${folder}/manifest.json`,
      body: Buffer.from(JSON.stringify(folder === FOLDER ? manifest : { ...manifest, files: [] })),
    });
  }
}

const dailyConfig = (id = "daily"): InventoryConfiguration => ({
  Id: id,
  IsEnabled: true,
  IncludedObjectVersions: "Current",
  Schedule: { Frequency: "Daily" },
  Destination: { S3BucketDestination: { Bucket: `arn:aws:s3:::${DEST}`, Prefix: "inv", Format: "CSV" } },
  OptionalFields: [
    "Size",
    "LastModifiedDate",
    "ETag",
    "StorageClass",
    "IsMultipartUploaded",
    "EncryptionStatus",
  ],
});

function detect(objects: S3ObjectRecord[]): Finding[] {
  const params = s3DuplicatesParams.parse({ preferredKeepPrefixes: ["ml-models-prod/registry/"] });
  return s3Duplicates.detect(
    emptyInventory({ s3Objects: objects }),
    metricsFrom(() => undefined),
    context(params, { policy: "duplicates" }),
  ).findings;
}

/** A finding without which source produced each copy (the one thing that differs by design). */
function withoutSource(f: Finding) {
  const copies = (f.evidence["copies"] as Array<Record<string, unknown>>).map(
    ({ source: _, ...rest }) => rest,
  );
  return { ...f, evidence: { ...f.evidence, copies } };
}

describe("s3Objects from S3 Inventory (s3rver)", () => {
  let dataDir: string;
  let s3: LocalS3;
  let client: S3WithInventoryConfigs;
  const cloudwatch = mockClient(CloudWatchClient);
  const clients = () => ({
    s3: client,
    cloudwatch: new CloudWatchClient({ region: REGION }),
    athena: new AthenaClient({ region: REGION }),
  });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "janitor-s3src-"));
    s3 = await startLocalS3({ dataDir });
    client = new S3WithInventoryConfigs({
      endpoint: s3.endpoint,
      region: REGION,
      forcePathStyle: true,
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    });
    const weights = contentFor("weights-v3", SIZE);
    for (const b of [...BUCKETS, DEST]) await createBucket(client, b);
    await putObject(client, { bucket: "ml-models-prod", key: "registry/llm/weights.bin", body: weights });
    await putObject(client, { bucket: "ml-experiments", key: "runs/1/weights.bin", body: weights });
    await putObject(client, { bucket: "ml-experiments", key: "runs/2/weights v2.bin", body: weights });
    await putObject(client, {
      bucket: "ml-experiments",
      key: "runs/3/weights.bin",
      body: contentFor("other", SIZE),
    });
    await putMultipart(client, dataDir, "ml-experiments", "mp/5mib.bin", weights, 5 * MIB);
    await putMultipart(client, dataDir, "ml-experiments", "mp/6mib.bin", weights, 6 * MIB);
    await putObject(client, { bucket: "ml-experiments", key: "small/a", body: contentFor("s", 1000) });
    await putObject(client, { bucket: "ml-experiments", key: "small/b", body: contentFor("s", 1000) });
    await deliverInventory(client, "ml-experiments");
  });

  beforeEach(() => {
    cloudwatch.reset();
    cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    client.configs.clear();
  });

  afterAll(async () => {
    cloudwatch.restore();
    client?.destroy();
    await s3?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const options = { minSize: MIB, byteBudget: 1024 * MIB, concurrency: 4 };
  const plan = () => planFromPolicies([s3DuplicatesParams.parse({ scope: BUCKETS })]);

  it("reads a bucket from its fresh inventory, and finds what the listing path finds", async () => {
    client.configs.set("ml-experiments", [dailyConfig()]);
    const notes: LoaderNote[] = [];

    const objects = await loadS3ObjectsBySource(
      clients(),
      REGION,
      plan(),
      NOW,
      (n) => notes.push(n),
      options,
    );

    const sources = new Map(objects.map((o) => [`${o.bucket}/${o.key}`, o.source]));
    expect(sources.get("ml-experiments/runs/1/weights.bin")).toBe(`inventory ${FOLDER}`);
    expect(sources.get("ml-experiments/runs/2/weights v2.bin")).toBe(`inventory ${FOLDER}`);
    expect(sources.get("ml-models-prod/registry/llm/weights.bin")).toBe("listing");
    expect(notes).toContainEqual({
      level: "info",
      message: expect.stringContaining("bucket ml-experiments: read by inventory (fresh S3 Inventory"),
    });
    // One GetMetricData for both buckets' object counts.
    expect(cloudwatch).toHaveReceivedCommandTimes(GetMetricDataCommand, 1);
    expect(cloudwatch.commandCalls(GetMetricDataCommand)[0]?.args[0].input.MetricDataQueries).toHaveLength(2);

    const fromInventory = detect(objects);
    const fromListing = detect(await loadS3Objects(client, BUCKETS, REGION, options));
    expect(fromInventory).toHaveLength(1);
    expect(fromInventory.map(withoutSource)).toEqual(fromListing.map(withoutSource));
    const evidence = fromInventory[0]?.evidence ?? {};
    const toDelete = (evidence["toDelete"] as Array<{ key: string }>).map((o) => o.key).sort();
    expect(toDelete).toEqual(["mp/5mib.bin", "mp/6mib.bin", "runs/1/weights.bin", "runs/2/weights v2.bin"]);
    const copySources = (evidence["copies"] as Array<{ source: string }>).map((c) => c.source);
    expect(new Set(copySources)).toEqual(new Set(["listing", `inventory ${FOLDER}`]));
  });

  it("lists a bucket whose inventory is stale, and says why", async () => {
    client.configs.set("ml-experiments", [dailyConfig()]);
    const notes: LoaderNote[] = [];
    const later = new Date("2026-11-25T09:00:00Z");

    const objects = await loadS3ObjectsBySource(
      clients(),
      REGION,
      plan(),
      later,
      (n) => notes.push(n),
      options,
    );

    expect(objects.every((o) => o.source === "listing")).toBe(true);
    expect(notes).toContainEqual({
      level: "info",
      message: expect.stringMatching(
        /ml-experiments: read by listing \(newest inventory daily \(2026-11-22T01-00Z\) is 80 h old/,
      ),
    });
  });

  it("fails only the bucket whose report does not match the manifest's MD5", async () => {
    await deliverInventory(client, "ml-experiments", { corrupt: true });
    client.configs.set("ml-experiments", [dailyConfig()]);
    const notes: LoaderNote[] = [];
    try {
      const objects = await loadS3ObjectsBySource(
        clients(),
        REGION,
        plan(),
        NOW,
        (n) => notes.push(n),
        options,
      );
      expect(objects.every((o) => o.bucket === "ml-models-prod")).toBe(true);
      expect(notes.filter((n) => n.level === "error")).toEqual([
        {
          level: "error",
          message: expect.stringMatching(
            /^bucket ml-experiments: inventory file s3:\/\/ml-inventory\/inv\/ml-experiments\/daily\/data\/6c1e9a4b-ml-experiments\.csv\.gz of bucket ml-experiments has MD5 [0-9a-f]{32}, the manifest says 0{32}/,
          ),
        },
      ]);
    } finally {
      await deliverInventory(client, "ml-experiments");
    }
  });
});
