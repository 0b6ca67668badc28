/**
 * delete-volume and restore-volume against the sandbox account through the real EC2 client:
 * the snapshot exists and is tagged, the volume is gone from DescribeVolumes, a repeat is a
 * no-op, and the restore creates a new volume from the snapshot with the old tags.
 */
import { DescribeSnapshotsCommand, DescribeVolumesCommand } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAction, getRestore } from "../../../shared/actions/registry.ts";
import type { ActionOutcome } from "../../../shared/actions/types.ts";
import { AwsClients } from "../../../shared/aws/clients.ts";
import { type Sandbox, startSandbox } from "../../../shared/local/sandbox/server.ts";
import type { UndoRecord } from "../../../shared/store/workflow-types.ts";
import type { Finding } from "../../../shared/types.ts";
import { demoScenario, sandboxEnv } from "../../fixtures/local.ts";

const ID = "vol-0a1b2c3d4e5f60004";
let sandbox: Sandbox;
let clients: AwsClients;
const savedEnv = new Map<string, string | undefined>();

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: demoScenario(new Date()), port: 0 });
  for (const [name, value] of Object.entries(sandboxEnv(sandbox.url))) {
    savedEnv.set(name, process.env[name]);
    process.env[name] = value;
  }
  clients = new AwsClients({ region: "us-east-1", maxAttempts: 1 });
});
afterAll(async () => {
  clients?.destroy();
  for (const [name, value] of savedEnv) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await sandbox?.close();
});

const finding: Finding = {
  id: "unattached-volume:test",
  detector: "unattached-volume",
  policy: "unattached-volumes",
  resource: {
    type: "ec2:volume",
    id: ID,
    arn: `arn:aws:ec2:us-east-1:123456789012:volume/${ID}`,
    region: "us-east-1",
    tags: { Name: "notebook-scratch", team: "risk" },
  },
  owner: {},
  reason: "test",
  evidence: {},
  confidence: "high",
  monthlyCostUsd: 16,
  proposedAction: "delete",
};

async function act(): Promise<{ outcome: ActionOutcome; undo?: UndoRecord }> {
  let undo: UndoRecord | undefined;
  const outcome = await getAction("ec2:volume", "delete")!.run(clients, finding, async (u) => {
    if (u)
      undo = JSON.parse(JSON.stringify({ ...u, findingId: finding.id, savedAt: new Date().toISOString() }));
  });
  return { outcome, ...(undo ? { undo } : {}) };
}

describe("delete-volume on the sandbox", () => {
  let undo: UndoRecord | undefined;

  it("snapshots the volume, then deletes it", async () => {
    const first = await act();
    undo = first.undo;
    expect(first.outcome.result).toBe("done");
    const snapshotId = undo?.data.snapshotId as string;
    const snaps = await clients.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] }));
    expect(snaps.Snapshots?.[0]).toMatchObject({ VolumeId: ID, State: "completed", VolumeSize: 200 });
    expect(snaps.Snapshots?.[0]?.Tags).toEqual(
      expect.arrayContaining([
        { Key: "team", Value: "risk" },
        { Key: "ml-janitor:volume-id", Value: ID },
      ]),
    );
    await expect(clients.ec2.send(new DescribeVolumesCommand({ VolumeIds: [ID] }))).rejects.toMatchObject({
      name: "InvalidVolume.NotFound",
    });
    expect(sandbox.counts()["EC2.DeleteVolume"]).toBe(1);
  });

  it("is a no-op the second time", async () => {
    const again = await act();
    expect(again.outcome).toMatchObject({ result: "already", fromState: "gone" });
    expect(sandbox.counts()["EC2.CreateSnapshot"]).toBe(1);
  });

  it("restores a new volume from the snapshot, with the old tags", async () => {
    const { detail } = await getRestore("ec2:volume")!.run(clients, undo!);
    const newId = /created volume (vol-[0-9a-f]+)/.exec(detail)?.[1];
    expect(newId).toBeDefined();
    const out = await clients.ec2.send(new DescribeVolumesCommand({ VolumeIds: [newId!] }));
    expect(out.Volumes?.[0]).toMatchObject({ Size: 200, VolumeType: "gp3", State: "available" });
    expect(out.Volumes?.[0]?.Tags).toEqual(
      expect.arrayContaining([
        { Key: "Name", Value: "notebook-scratch" },
        { Key: "team", Value: "risk" },
      ]),
    );
  });
});
