/**
 * The sandbox as the one S3 endpoint: object calls proxied to s3rver behind it (bodies intact
 * both ways, any credentials), every call counted as `S3.<Operation>` and put through the
 * knobs, seeded objects as old as the scenario says, buckets made through it joining the scenario.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ServiceException,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { contentFor } from "../../../shared/local/content.ts";
import { emptyScenario, resolveScenario } from "../../../shared/local/sandbox/scenario.ts";
import { startSandbox } from "../../../shared/local/sandbox/server.ts";
import { type SandboxAccount, startSandboxAccount } from "../../../shared/local/sandbox-account.ts";

const DAY = 86_400_000;
const MIB = 1024 * 1024;
const md5 = (b: Uint8Array) => createHash("md5").update(b).digest("hex");

let dataDir: string;
let account: SandboxAccount;
let now: Date;

function client(keys = { accessKeyId: "sandbox", secretAccessKey: "sandbox" }, maxAttempts = 1): S3Client {
  return new S3Client({ endpoint: account.sandbox.url, region: "us-east-1", credentials: keys, maxAttempts });
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "janitor-sandbox-s3-"));
  now = new Date();
  const scenario = resolveScenario(
    {
      name: "s3",
      accountId: "123456789012",
      region: "us-east-1",
      s3: {
        buckets: [
          {
            name: "ml-experiments",
            created: "-300d",
            objects: [
              { key: "runs/17/model.tar.gz", seed: "weights", size: 2 * MIB, lastModified: "-75d" },
              { key: "runs/17/metrics.json", seed: "metrics", size: 4096, lastModified: "-74d" },
            ],
          },
        ],
      },
    },
    now,
  );
  account = await startSandboxAccount({ scenario, s3DataDir: dataDir });
});

afterAll(async () => {
  await account?.close();
  await rm(dataDir, { recursive: true, force: true });
});

beforeEach(() => {
  account.sandbox.setKnobs({ throttleRate: 0, faultRate: 0, failOperations: [] });
  account.sandbox.resetCounts();
});

describe("the sandbox in front of s3rver", () => {
  it("seeds the scenario's objects through itself, each as old as the scenario says", async () => {
    expect(account.seeded).toBe(2);
    const s3 = client();
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: "ml-experiments" }));
    const ages = listed.Contents?.map((o) => [
      o.Key,
      o.Size,
      Math.round((now.getTime() - o.LastModified!.getTime()) / DAY),
    ]);
    expect(ages).toEqual([
      ["runs/17/metrics.json", 4096, 74],
      ["runs/17/model.tar.gz", 2 * MIB, 75],
    ]);
    expect(listed.Contents?.[1]?.ETag).toBe(`"${md5(contentFor("weights", 2 * MIB))}"`);
    // Seeding is not counted: counts start at zero for the code under test.
    expect(account.sandbox.counts()).toEqual({ "S3.ListObjectsV2": 1 });
    s3.destroy();
  });

  it("proxies put, head, get, copy, list and delete with bodies intact, and counts each call", async () => {
    const s3 = client();
    const body = randomBytes(6 * MIB);
    const put = await s3.send(
      new PutObjectCommand({ Bucket: "ml-experiments", Key: "runs/18/weights v2.bin", Body: body }),
    );
    expect(put.ETag).toBe(`"${md5(body)}"`);

    const head = await s3.send(
      new HeadObjectCommand({ Bucket: "ml-experiments", Key: "runs/18/weights v2.bin" }),
    );
    expect(head.ContentLength).toBe(body.length);

    const got = await s3.send(
      new GetObjectCommand({ Bucket: "ml-experiments", Key: "runs/18/weights v2.bin" }),
    );
    expect(md5(await got.Body!.transformToByteArray())).toBe(md5(body));

    await s3.send(
      new CopyObjectCommand({
        Bucket: "ml-experiments",
        Key: "deploy/weights.bin",
        CopySource: "ml-experiments/runs/18/weights%20v2.bin",
      }),
    );
    const copy = await s3.send(new GetObjectCommand({ Bucket: "ml-experiments", Key: "deploy/weights.bin" }));
    expect(md5(await copy.Body!.transformToByteArray())).toBe(md5(body));

    await s3.send(new DeleteObjectCommand({ Bucket: "ml-experiments", Key: "deploy/weights.bin" }));
    await s3.send(
      new DeleteObjectsCommand({
        Bucket: "ml-experiments",
        Delete: { Objects: [{ Key: "runs/18/weights v2.bin" }] },
      }),
    );
    const left = await s3.send(new ListObjectsV2Command({ Bucket: "ml-experiments", Prefix: "runs/18/" }));
    expect(left.KeyCount).toBe(0);

    const missing = await s3
      .send(new GetObjectCommand({ Bucket: "ml-experiments", Key: "deploy/weights.bin" }))
      .catch((e: unknown) => e as S3ServiceException);
    expect((missing as S3ServiceException).name).toBe("NoSuchKey");

    expect(account.sandbox.counts()).toEqual({
      "S3.PutObject": 1,
      "S3.HeadObject": 1,
      "S3.GetObject": 3,
      "S3.CopyObject": 1,
      "S3.DeleteObject": 1,
      "S3.DeleteObjects": 1,
      "S3.ListObjectsV2": 1,
    });
    s3.destroy();
  });

  it("takes any credentials (s3rver knows only S3RVER: the sandbox rewrites the key id)", async () => {
    const s3 = client({ accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG" });
    await s3.send(new PutObjectCommand({ Bucket: "ml-experiments", Key: "k.txt", Body: "hello" }));
    const got = await s3.send(new GetObjectCommand({ Bucket: "ml-experiments", Key: "k.txt" }));
    expect(await got.Body!.transformToString()).toBe("hello");
    s3.destroy();
  });

  it("serves a presigned GET whatever key id signed it (the query credential is rewritten too)", async () => {
    const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+/, "");
    const query = new URLSearchParams({
      "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
      "X-Amz-Credential": `AKIAIOSFODNN7EXAMPLE/${stamp.slice(0, 8)}/us-east-1/s3/aws4_request`,
      "X-Amz-Date": stamp,
      "X-Amz-Expires": "900",
      "X-Amz-SignedHeaders": "host",
      "X-Amz-Signature": "0".repeat(64),
    });
    const res = await fetch(`${account.sandbox.url}/ml-experiments/runs/17/metrics.json?${query}`);
    expect(res.status).toBe(200);
    expect(md5(new Uint8Array(await res.arrayBuffer()))).toBe(md5(contentFor("metrics", 4096)));
    expect(account.sandbox.counts()).toEqual({ "S3.GetObject": 1 });
  });

  it("answers a throttle with S3's 503 SlowDown and a fault with 500 InternalError", async () => {
    const s3 = client();
    account.sandbox.setKnobs({ throttleRate: 1 });
    const slow = (await s3
      .send(new HeadObjectCommand({ Bucket: "ml-experiments", Key: "runs/17/metrics.json" }))
      .catch((e: unknown) => e)) as S3ServiceException;
    expect(slow.$metadata.httpStatusCode).toBe(503);
    const slowList = (await s3
      .send(new ListObjectsV2Command({ Bucket: "ml-experiments" }))
      .catch((e: unknown) => e)) as S3ServiceException;
    expect(slowList.name).toBe("SlowDown");

    account.sandbox.setKnobs({ throttleRate: 0, failOperations: ["S3.GetObject"] });
    const fault = (await s3
      .send(new GetObjectCommand({ Bucket: "ml-experiments", Key: "runs/17/metrics.json" }))
      .catch((e: unknown) => e)) as S3ServiceException;
    expect([fault.name, fault.$metadata.httpStatusCode]).toEqual(["InternalError", 500]);
    expect(account.sandbox.counts()).toMatchObject({ throttled: 2, faulted: 1, "S3.GetObject": 1 });
    s3.destroy();
  });

  it("is retried by the SDK through throttling until the calls succeed", async () => {
    const s3 = client(undefined, 10);
    account.sandbox.setKnobs({ throttleRate: 0.5, seed: 7 });
    for (let i = 0; i < 6; i++) {
      const head = await s3.send(
        new HeadObjectCommand({ Bucket: "ml-experiments", Key: "runs/17/metrics.json" }),
      );
      expect(head.ContentLength).toBe(4096);
    }
    const counts = account.sandbox.counts();
    expect(counts.throttled).toBeGreaterThan(0);
    expect(counts["S3.HeadObject"]).toBe(6 + counts.throttled!);

    // A refused upload is sent again whole: what lands is the body that was sent.
    account.sandbox.resetCounts();
    const body = randomBytes(3 * MIB);
    for (let i = 0; i < 4; i++) {
      await s3.send(new PutObjectCommand({ Bucket: "ml-experiments", Key: `retried/${i}.bin`, Body: body }));
    }
    const puts = account.sandbox.counts();
    expect(puts.throttled).toBeGreaterThan(0);
    expect(puts["S3.PutObject"]).toBe(4 + puts.throttled!);
    account.sandbox.setKnobs({ throttleRate: 0 });
    const got = await s3.send(new GetObjectCommand({ Bucket: "ml-experiments", Key: "retried/3.bin" }));
    expect(md5(await got.Body!.transformToByteArray())).toBe(md5(body));
    s3.destroy();
  });

  it("adds a bucket created through it to the scenario's listing, and drops a deleted one", async () => {
    const s3 = client();
    await s3.send(new CreateBucketCommand({ Bucket: "ml-scratch-new" }));
    const names = async () => (await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name);
    expect(await names()).toEqual(["ml-experiments", "ml-scratch-new"]);
    await s3.send(new DeleteBucketCommand({ Bucket: "ml-scratch-new" }));
    expect(await names()).toEqual(["ml-experiments"]);
    expect(account.sandbox.counts()).toMatchObject({ "S3.CreateBucket": 1, "S3.DeleteBucket": 1 });
    s3.destroy();
  });

  it("answers the object store's own errors unchanged (NoSuchBucket from s3rver)", async () => {
    const s3 = client();
    const err = (await s3
      .send(new PutObjectCommand({ Bucket: "nowhere", Key: "k", Body: "x" }))
      .catch((e: unknown) => e)) as S3ServiceException;
    expect([err.name, err.$metadata.httpStatusCode]).toEqual(["NoSuchBucket", 404]);
    s3.destroy();
  });
});

describe("with its object store down", () => {
  it("answers object calls with 500 InternalError naming the cause", async () => {
    const sandbox = await startSandbox({
      scenario: emptyScenario(new Date()),
      s3Upstream: "http://127.0.0.1:9",
    });
    const s3 = new S3Client({
      endpoint: sandbox.url,
      region: "us-east-1",
      credentials: { accessKeyId: "a", secretAccessKey: "b" },
      maxAttempts: 1,
    });
    try {
      const err = (await s3
        .send(new GetObjectCommand({ Bucket: "b", Key: "k" }))
        .catch((e: unknown) => e)) as S3ServiceException;
      expect([err.name, err.$metadata.httpStatusCode]).toEqual(["InternalError", 500]);
      expect(err.message).toMatch(/^The sandbox's S3 store is unreachable: .*ECONNREFUSED/);
    } finally {
      s3.destroy();
      await sandbox.close();
    }
  });
});
