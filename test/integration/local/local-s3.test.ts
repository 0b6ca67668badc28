import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalS3, startLocalS3 } from "../../../shared/local/s3.ts";

const BUCKET = "ml-datasets";

function clientFor(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
  });
}

describe("startLocalS3", () => {
  let dataDir: string;
  let s3: LocalS3;
  let client: S3Client;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "janitor-s3-"));
    s3 = await startLocalS3({ dataDir });
    client = clientFor(s3.endpoint);
  });

  afterAll(async () => {
    client?.destroy();
    await s3?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("serves buckets and objects to the real S3 client on a random loopback port", async () => {
    expect(s3.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const shard = Buffer.alloc(64 * 1024, 7);
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }));

    const put = await client.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: "train/shard-0.bin", Body: shard }),
    );
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: "train/shard-1.bin", Body: shard }));
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: "README.md", Body: "# datasets" }));

    expect(put.ETag).toBe(`"${createHash("md5").update(shard).digest("hex")}"`);
    const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: "train/" }));
    expect(listed.Contents?.map((o) => [o.Key, o.Size])).toEqual([
      ["train/shard-0.bin", shard.length],
      ["train/shard-1.bin", shard.length],
    ]);
    const read = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: "train/shard-1.bin" }));
    expect(Buffer.from(await read.Body!.transformToByteArray()).equals(shard)).toBe(true);
  });

  it("pages listings with continuation tokens", async () => {
    const first = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, MaxKeys: 2 }));
    const second = await client.send(
      new ListObjectsV2Command({
        Bucket: BUCKET,
        MaxKeys: 2,
        ContinuationToken: first.NextContinuationToken,
      }),
    );

    expect(first.IsTruncated).toBe(true);
    expect([...(first.Contents ?? []), ...(second.Contents ?? [])].map((o) => o.Key)).toEqual([
      "README.md",
      "train/shard-0.bin",
      "train/shard-1.bin",
    ]);
    expect(second.IsTruncated).toBe(false);
  });

  it("lists in pages of at most 1000, with prefixes, delimiters and start-after", {
    timeout: 60_000,
  }, async () => {
    await client.send(new CreateBucketCommand({ Bucket: "many" }));
    const keys = Array.from({ length: 1003 }, (_, i) => `runs/${String(i).padStart(4, "0")}.json`);
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(
        keys
          .slice(i, i + 50)
          .map((Key) => client.send(new PutObjectCommand({ Bucket: "many", Key, Body: "{}" }))),
      );
    }
    await client.send(new PutObjectCommand({ Bucket: "many", Key: "models/weights.bin", Body: "w" }));

    const first = await client.send(new ListObjectsV2Command({ Bucket: "many", Prefix: "runs/" }));
    const second = await client.send(
      new ListObjectsV2Command({
        Bucket: "many",
        Prefix: "runs/",
        ContinuationToken: first.NextContinuationToken,
      }),
    );
    const folders = await client.send(new ListObjectsV2Command({ Bucket: "many", Delimiter: "/" }));
    const after = await client.send(
      new ListObjectsV2Command({ Bucket: "many", StartAfter: "runs/1000.json" }),
    );

    expect([first.KeyCount, first.IsTruncated, second.KeyCount, second.IsTruncated]).toEqual([
      1000,
      true,
      3,
      false,
    ]);
    expect([...(first.Contents ?? []), ...(second.Contents ?? [])].map((o) => o.Key)).toEqual(keys);
    expect(folders.CommonPrefixes?.map((p) => p.Prefix)).toEqual(["models/", "runs/"]);
    expect(after.Contents?.map((o) => o.Key)).toEqual(["runs/1001.json", "runs/1002.json"]);
  });

  it("keeps objects in the data folder across restarts", async () => {
    await s3.close();
    s3 = await startLocalS3({ dataDir });
    client.destroy();
    client = clientFor(s3.endpoint);

    const read = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: "README.md" }));

    expect(await read.Body!.transformToString()).toBe("# datasets");
  });
});
