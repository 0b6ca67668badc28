import {
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DeleteVolumeCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { makeDeleteVolume } from "../../../shared/actions/delete-volume.ts";
import { restoreVolume } from "../../../shared/actions/restore-volume.ts";
import { InvalidStateError, SnapshotPendingError } from "../../../shared/errors.ts";
import type { UndoRecord } from "../../../shared/store/workflow-types.ts";
import { awsError, findingFor, newClients, undoRecorder } from "./helpers.ts";

const ec2 = mockClient(EC2Client);
const ID = "vol-0a1b2c3d4e5f60004";
const ARN = `arn:aws:ec2:us-east-1:123456789012:volume/${ID}`;
const finding = { ...findingFor("ec2:volume", ID, ARN), proposedAction: "delete" as const };
const noSleep = async () => {};
const action = makeDeleteVolume({ maxWaitMs: 60_000, pollMs: 5_000, sleep: noSleep });

function volumeIs(state: string, extra: Record<string, unknown> = {}) {
  ec2.on(DescribeVolumesCommand, { VolumeIds: [ID] }).resolves({
    Volumes: [
      {
        VolumeId: ID,
        State: state as "available",
        AvailabilityZone: "us-east-1b",
        VolumeType: "gp3",
        Size: 200,
        Iops: 4000,
        Throughput: 250,
        Encrypted: true,
        KmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/k1",
        Tags: [
          { Key: "team", Value: "risk" },
          { Key: "aws:cloudformation:stack-name", Value: "s" },
        ],
        ...extra,
      },
    ],
  });
}

beforeEach(() => {
  ec2.reset();
  ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
  ec2.on(CreateSnapshotCommand).resolves({ SnapshotId: "snap-1", State: "pending" });
  ec2.on(DescribeSnapshotsCommand, { SnapshotIds: ["snap-1"] }).resolves({
    Snapshots: [{ SnapshotId: "snap-1", State: "completed" }],
  });
  ec2.on(DeleteVolumeCommand).resolves({});
});

describe("delete-volume", () => {
  it("snapshots, saves the undo, waits for the snapshot, then deletes", async () => {
    volumeIs("available");
    const log: string[] = [];
    ec2.on(CreateSnapshotCommand).callsFake(() => {
      log.push("CreateSnapshot");
      return { SnapshotId: "snap-1" };
    });
    ec2.on(DeleteVolumeCommand).callsFake(() => {
      log.push("DeleteVolume");
      return {};
    });
    const { saved, saveUndo } = undoRecorder(log);

    const outcome = await action.run(newClients(), finding, saveUndo);

    expect(log).toEqual(["CreateSnapshot", "saveUndo", "DeleteVolume"]);
    expect(ec2.commandCalls(CreateSnapshotCommand)[0]!.args[0].input).toEqual({
      VolumeId: ID,
      Description: expect.stringContaining(`${ID} before deleting it`),
      TagSpecifications: [
        {
          ResourceType: "snapshot",
          // AWS-reserved tags cannot be copied; ours mark the snapshot for a retry to find.
          Tags: [
            { Key: "team", Value: "risk" },
            { Key: "ml-janitor:volume-id", Value: ID },
            { Key: "ml-janitor:finding-id", Value: finding.id },
          ],
        },
      ],
    });
    expect(ec2.commandCalls(DeleteVolumeCommand)[0]!.args[0].input).toEqual({ VolumeId: ID });
    expect(saved).toEqual([
      {
        resourceArn: ARN,
        resourceType: "ec2:volume",
        action: "delete",
        data: {
          region: "us-east-1",
          volumeId: ID,
          snapshotId: "snap-1",
          availabilityZone: "us-east-1b",
          volumeType: "gp3",
          sizeGiB: 200,
          iops: 4000,
          throughput: 250,
          encrypted: true,
          kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/k1",
          tags: { team: "risk", "aws:cloudformation:stack-name": "s" },
        },
      },
    ]);
    expect(outcome).toMatchObject({ result: "done", fromState: "available" });
    expect(outcome.detail).toMatch(/snapshot snap-1 completed.*billed/);
  });

  it("reuses its own snapshot on a retry instead of taking another", async () => {
    volumeIs("available");
    ec2
      .on(DescribeSnapshotsCommand, {
        OwnerIds: ["self"],
        Filters: [
          { Name: "volume-id", Values: [ID] },
          { Name: "tag:ml-janitor:finding-id", Values: [finding.id] },
        ],
      })
      .resolves({ Snapshots: [{ SnapshotId: "snap-1", State: "pending" }] });
    const outcome = await action.run(newClients(), finding, undoRecorder().saveUndo);
    expect(ec2).not.toHaveReceivedCommand(CreateSnapshotCommand);
    expect(outcome.result).toBe("done");
  });

  it("deletes nothing while the snapshot is pending: SnapshotPendingError, undo already saved", async () => {
    volumeIs("available");
    ec2.on(DescribeSnapshotsCommand, { SnapshotIds: ["snap-1"] }).resolves({
      Snapshots: [{ SnapshotId: "snap-1", State: "pending" }],
    });
    const { saved, saveUndo } = undoRecorder();
    await expect(action.run(newClients(), finding, saveUndo)).rejects.toBeInstanceOf(SnapshotPendingError);
    expect(ec2).not.toHaveReceivedCommand(DeleteVolumeCommand);
    expect(saved).toHaveLength(1);
    // 60 s of waiting at 5 s a poll: a first look and 12 more, then it gives up.
    expect(ec2.commandCalls(DescribeSnapshotsCommand, { SnapshotIds: ["snap-1"] })).toHaveLength(13);
  });

  it("fails on a snapshot in error and deletes nothing", async () => {
    volumeIs("available");
    ec2.on(DescribeSnapshotsCommand, { SnapshotIds: ["snap-1"] }).resolves({
      Snapshots: [{ SnapshotId: "snap-1", State: "error" }],
    });
    await expect(action.run(newClients(), finding, undoRecorder().saveUndo)).rejects.toThrow(/snap-1 failed/);
    expect(ec2).not.toHaveReceivedCommand(DeleteVolumeCommand);
  });

  it("refuses an in-use volume (attached since the notice) and changes nothing", async () => {
    volumeIs("in-use", { Attachments: [{ InstanceId: "i-1", State: "attached" }] });
    const { saved, saveUndo } = undoRecorder();
    await expect(action.run(newClients(), finding, saveUndo)).rejects.toBeInstanceOf(InvalidStateError);
    expect(ec2).not.toHaveReceivedCommand(CreateSnapshotCommand);
    expect(ec2).not.toHaveReceivedCommand(DeleteVolumeCommand);
    expect(saved).toEqual([]);
  });

  it.each(["deleting", "deleted"])("is already done when %s", async (state) => {
    volumeIs(state);
    const outcome = await action.run(newClients(), finding, undoRecorder().saveUndo);
    expect(outcome).toMatchObject({ result: "already", fromState: state });
    expect(ec2).not.toHaveReceivedCommand(CreateSnapshotCommand);
  });

  it("is already done when the volume is gone", async () => {
    ec2.on(DescribeVolumesCommand).rejects(awsError("InvalidVolume.NotFound", "The volume does not exist."));
    const outcome = await action.run(newClients(), finding, undoRecorder().saveUndo);
    expect(outcome).toMatchObject({ result: "already", fromState: "gone" });
  });
});

describe("restore-volume", () => {
  const undo: UndoRecord = {
    findingId: finding.id,
    savedAt: "2026-11-20T00:00:00.000Z",
    resourceArn: ARN,
    resourceType: "ec2:volume",
    action: "delete",
    data: {
      region: "us-east-1",
      volumeId: ID,
      snapshotId: "snap-1",
      availabilityZone: "us-east-1b",
      volumeType: "gp3",
      sizeGiB: 200,
      iops: 4000,
      throughput: 250,
      kmsKeyId: "k1",
      tags: { team: "risk", "aws:cloudformation:stack-name": "s" },
    },
  };

  it("creates a volume from the snapshot with the same zone, type, performance, key and tags", async () => {
    ec2.on(DescribeVolumesCommand).rejects(awsError("InvalidVolume.NotFound", "gone"));
    ec2.on(CreateVolumeCommand).resolves({ VolumeId: "vol-new" });
    const out = await restoreVolume.run(newClients(), undo);
    expect(ec2.commandCalls(CreateVolumeCommand)[0]!.args[0].input).toEqual({
      SnapshotId: "snap-1",
      AvailabilityZone: "us-east-1b",
      VolumeType: "gp3",
      Iops: 4000,
      Throughput: 250,
      KmsKeyId: "k1",
      TagSpecifications: [{ ResourceType: "volume", Tags: [{ Key: "team", Value: "risk" }] }],
    });
    expect(out.detail).toMatch(/created volume vol-new from snapshot snap-1.*replaces vol-0a1b2c3d4e5f60004/);
  });

  it("creates nothing while the old volume still exists", async () => {
    volumeIs("available");
    const out = await restoreVolume.run(newClients(), undo);
    expect(ec2).not.toHaveReceivedCommand(CreateVolumeCommand);
    expect(out.detail).toMatch(/still exists/);
  });

  it("refuses a record without a snapshot id", async () => {
    const { snapshotId: _s, ...data } = undo.data;
    await expect(restoreVolume.run(newClients(), { ...undo, data })).rejects.toThrow(/snapshotId/);
    expect(ec2).not.toHaveReceivedCommand(CreateVolumeCommand);
  });
});
