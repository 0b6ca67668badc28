import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteDuplicates } from "../../../shared/actions/delete-duplicates.ts";
import { restoreDuplicates } from "../../../shared/actions/restore-duplicates.ts";
import type { ActionOutcome } from "../../../shared/actions/types.ts";
import type { AwsClients } from "../../../shared/aws/clients.ts";
import { createBucket, putObject } from "../../../shared/aws/s3.ts";
import { objectState } from "../../../shared/aws/s3-actions.ts";
import { loadS3Objects } from "../../../shared/aws/s3-objects.ts";
import { emptyInventory } from "../../../shared/detectors/inventory.ts";
import { s3Duplicates, s3DuplicatesParams } from "../../../shared/detectors/s3-duplicates.ts";
import { InvalidStateError } from "../../../shared/errors.ts";
import { contentFor } from "../../../shared/local/content.ts";
import { type LocalS3, startLocalS3 } from "../../../shared/local/s3.ts";
import type { Finding } from "../../../shared/types.ts";
import { context, metricsFrom } from "../../fixtures/endpoints.ts";

const MIB = 1024 * 1024;
const SIZE = 2 * MIB;
const BUCKET = "ml-models-prod";

describe("delete-duplicates and its restore (s3rver)", () => {
  let dataDir: string;
  let s3: LocalS3;
  let client: S3Client;
  let clients: AwsClients;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "janitor-s3del-"));
    s3 = await startLocalS3({ dataDir });
    client = new S3Client({
      endpoint: s3.endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    });
    // Only what the actions use: the S3 client, in the finding's region.
    clients = { s3: client, options: { region: "us-east-1" } } as unknown as AwsClients;
    await createBucket(client, BUCKET);
  });

  afterAll(async () => {
    client?.destroy();
    await s3?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function seedAndScan(prefix: string): Promise<Finding> {
    const body = contentFor(`${prefix}-weights`, SIZE);
    await putObject(client, { bucket: BUCKET, key: `${prefix}/registry/w.bin`, body });
    await putObject(client, { bucket: BUCKET, key: `${prefix}/runs/1/w.bin`, body });
    await putObject(client, { bucket: BUCKET, key: `${prefix}/runs/2/w.bin`, body });
    const objects = await loadS3Objects(client, [BUCKET], "us-east-1", {
      minSize: MIB,
      byteBudget: 0,
      concurrency: 2,
    });
    const params = s3DuplicatesParams.parse({
      scope: [`${BUCKET}/${prefix}/`],
      preferredKeepPrefixes: [`${BUCKET}/${prefix}/registry/`],
    });
    const result = s3Duplicates.detect(
      emptyInventory({ s3Objects: objects }),
      metricsFrom(() => undefined),
      context(params, { policy: "duplicates" }),
    );
    const finding = result.findings[0];
    if (!finding) throw new Error("no finding");
    return finding;
  }

  it("deletes the extra copies after re-checking them, records the undo first, and restores them", async () => {
    const finding = await seedAndScan("a");
    const saved: Array<ActionOutcome["undo"]> = [];
    const outcome = await deleteDuplicates.run(clients, finding, async (u) => {
      saved.push(u);
    });
    expect(outcome.result).toBe("done");
    expect(saved).toHaveLength(2);
    expect(saved[0]?.data).toMatchObject({
      kept: { bucket: BUCKET, key: "a/registry/w.bin" },
      deleted: [
        { bucket: BUCKET, key: "a/runs/1/w.bin" },
        { bucket: BUCKET, key: "a/runs/2/w.bin" },
      ],
    });
    expect(await objectState(client, BUCKET, "a/runs/1/w.bin")).toBeUndefined();
    expect(await objectState(client, BUCKET, "a/registry/w.bin")).toBeDefined();

    const undo = saved[1];
    if (!undo) throw new Error("no undo");
    const restored = await restoreDuplicates.run(clients, {
      ...undo,
      findingId: finding.id,
      savedAt: new Date().toISOString(),
    });
    expect(restored.detail).toContain("2 copied back");
    const back = await objectState(client, BUCKET, "a/runs/2/w.bin");
    const kept = await objectState(client, BUCKET, "a/registry/w.bin");
    expect(back?.etag).toBe(kept?.etag);
  });

  it("leaves a copy that changed since the scan alone, and refuses when the kept copy changed", async () => {
    const finding = await seedAndScan("b");
    await putObject(client, { bucket: BUCKET, key: "b/runs/1/w.bin", body: contentFor("new", SIZE) });
    const outcome = await deleteDuplicates.run(clients, finding, async () => {});
    expect(outcome.detail).toContain("b/runs/1/w.bin (changed since the scan)");
    expect(await objectState(client, BUCKET, "b/runs/1/w.bin")).toBeDefined();
    expect(await objectState(client, BUCKET, "b/runs/2/w.bin")).toBeUndefined();

    const again = await seedAndScan("c");
    await putObject(client, { bucket: BUCKET, key: "c/registry/w.bin", body: contentFor("other", SIZE) });
    await expect(deleteDuplicates.run(clients, again, async () => {})).rejects.toBeInstanceOf(
      InvalidStateError,
    );
    expect(await objectState(client, BUCKET, "c/runs/1/w.bin")).toBeDefined();
  });

  it("never acts on a probable group", async () => {
    const finding = await seedAndScan("d");
    const probable = { ...finding, evidence: { ...finding.evidence, proven: false } };
    await expect(deleteDuplicates.run(clients, probable, async () => {})).rejects.toBeInstanceOf(
      InvalidStateError,
    );
  });
});
