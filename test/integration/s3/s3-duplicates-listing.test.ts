import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBucket, putObject } from "../../../shared/aws/s3.ts";
import { loadS3Objects } from "../../../shared/aws/s3-objects.ts";
import { emptyInventory } from "../../../shared/detectors/inventory.ts";
import { s3Duplicates, s3DuplicatesParams } from "../../../shared/detectors/s3-duplicates.ts";
import { contentFor } from "../../../shared/local/content.ts";
import { type LocalS3, startLocalS3 } from "../../../shared/local/s3.ts";
import { context, metricsFrom } from "../../fixtures/endpoints.ts";

const MIB = 1024 * 1024;
const SIZE = 12 * MIB;
const REGION = "us-east-1";

/**
 * s3rver gives a completed multipart upload the plain MD5 of the whole content; S3 gives the MD5
 * of the parts' MD5s with a `-N` suffix, which depends on the part size. The test rewrites
 * s3rver's ETag sidecar file to S3's form so the objects look as they would in S3.
 */
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

describe("s3-duplicates over a listing (s3rver)", () => {
  let dataDir: string;
  let s3: LocalS3;
  let client: S3Client;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "janitor-s3dup-"));
    s3 = await startLocalS3({ dataDir });
    client = new S3Client({
      endpoint: s3.endpoint,
      region: REGION,
      forcePathStyle: true,
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    });
    const weights = contentFor("weights-v3", SIZE);
    for (const b of ["ml-models-prod", "ml-experiments"]) await createBucket(client, b);
    await putObject(client, { bucket: "ml-models-prod", key: "registry/llm/weights.bin", body: weights });
    await putObject(client, { bucket: "ml-experiments", key: "runs/1/weights.bin", body: weights });
    await putObject(client, { bucket: "ml-experiments", key: "runs/2/weights.bin", body: weights });
    // Same size, different content: never a duplicate.
    await putObject(client, {
      bucket: "ml-experiments",
      key: "runs/3/weights.bin",
      body: contentFor("other", SIZE),
    });
    // Same content uploaded in parts of two sizes: two different `-N` ETags.
    await putMultipart(client, dataDir, "ml-experiments", "mp/5mib.bin", weights, 5 * MIB);
    await putMultipart(client, dataDir, "ml-experiments", "mp/6mib.bin", weights, 6 * MIB);
    // Small duplicates under the floor.
    await putObject(client, { bucket: "ml-experiments", key: "small/a", body: contentFor("s", 1000) });
    await putObject(client, { bucket: "ml-experiments", key: "small/b", body: contentFor("s", 1000) });
  });

  afterAll(async () => {
    client?.destroy();
    await s3?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const options = (byteBudget: number) => ({ minSize: MIB, byteBudget, concurrency: 4 });

  function detect(objects: Awaited<ReturnType<typeof loadS3Objects>>) {
    const params = s3DuplicatesParams.parse({ preferredKeepPrefixes: ["ml-models-prod/registry/"] });
    return s3Duplicates.detect(
      emptyInventory({ s3Objects: objects }),
      metricsFrom(() => undefined),
      context(params, { policy: "duplicates" }),
    );
  }

  it("lists only candidates: sizes seen more than once, at or above the floor", async () => {
    const objects = await loadS3Objects(client, ["ml-models-prod", "ml-experiments"], REGION, options(0));
    expect(objects.map((o) => `${o.bucket}/${o.key}`).sort()).toEqual([
      "ml-experiments/mp/5mib.bin",
      "ml-experiments/mp/6mib.bin",
      "ml-experiments/runs/1/weights.bin",
      "ml-experiments/runs/2/weights.bin",
      "ml-experiments/runs/3/weights.bin",
      "ml-models-prod/registry/llm/weights.bin",
    ]);
    const mp = objects.filter((o) => o.key.startsWith("mp/"));
    expect(mp.every((o) => o.etag.includes("-"))).toBe(true);
    expect(new Set(mp.map((o) => o.etag)).size).toBe(2);
  });

  it("proves the single-part copies by ETag and finds the multipart copies by hashing them", async () => {
    const objects = await loadS3Objects(
      client,
      ["ml-models-prod", "ml-experiments"],
      REGION,
      options(1024 * MIB),
    );
    const result = detect(objects);
    expect(result.findings).toHaveLength(1);
    const f = result.findings[0];
    expect(f).toMatchObject({
      confidence: "high",
      proposedAction: "delete",
      resource: { id: "s3://ml-models-prod/registry/llm/weights.bin" },
    });
    const toDelete = ((f?.evidence["toDelete"] ?? []) as Array<{ key: string }>).map((o) => o.key).sort();
    expect(toDelete).toEqual(["mp/5mib.bin", "mp/6mib.bin", "runs/1/weights.bin", "runs/2/weights.bin"]);
    expect(f?.evidence["wastedBytes"]).toBe(4 * SIZE);
  });

  it("within a byte budget too small for the multipart copies, leaves them out of the proven group", async () => {
    const objects = await loadS3Objects(client, ["ml-models-prod", "ml-experiments"], REGION, options(SIZE));
    // Budget for one multipart copy only: it joins the group; the other stays unproven and alone.
    const hashed = objects.filter((o) => o.contentMd5);
    const skipped = objects.filter((o) => o.notHashed);
    expect(hashed).toHaveLength(1);
    expect(skipped).toHaveLength(1);
    const f = detect(objects).findings[0];
    expect(((f?.evidence["toDelete"] ?? []) as unknown[]).length).toBe(3);

    const none = detect(
      await loadS3Objects(client, ["ml-models-prod", "ml-experiments"], REGION, options(0)),
    );
    expect(((none.findings[0]?.evidence["toDelete"] ?? []) as unknown[]).length).toBe(2);
  });
});
