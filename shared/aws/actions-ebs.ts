/**
 * EBS calls of the delete-volume action and its restore: describe one volume, snapshot it,
 * wait for the snapshot, delete the volume; and recreate a volume from the snapshot.
 */
import {
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DeleteVolumeCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  type EC2Client,
  type VolumeType,
} from "@aws-sdk/client-ec2";
import { unlessMissing } from "./not-found.ts";

export interface VolumeState {
  volumeId: string;
  /** creating | available | in-use | deleting | deleted | error */
  state: string;
  availabilityZone: string;
  volumeType: string;
  sizeGiB: number;
  iops?: number;
  throughput?: number;
  encrypted: boolean;
  kmsKeyId?: string;
  attachedInstanceIds: string[];
  tags: Record<string, string>;
}

const isVolumeNotFound = (err: unknown): boolean =>
  err instanceof Error && (err.name === "InvalidVolume.NotFound" || err.name === "InvalidVolumeID.Malformed");

const isSnapshotNotFound = (err: unknown): boolean =>
  err instanceof Error &&
  (err.name === "InvalidSnapshot.NotFound" || err.name === "InvalidSnapshotID.Malformed");

export async function describeVolume(client: EC2Client, volumeId: string): Promise<VolumeState | undefined> {
  const out = await unlessMissing(
    () => client.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] })),
    isVolumeNotFound,
  );
  const v = out?.Volumes?.find((x) => x.VolumeId === volumeId);
  if (!v) return undefined;
  return {
    volumeId,
    state: v.State ?? "unknown",
    availabilityZone: v.AvailabilityZone ?? "",
    volumeType: v.VolumeType ?? "gp2",
    sizeGiB: v.Size ?? 0,
    ...(v.Iops !== undefined ? { iops: v.Iops } : {}),
    ...(v.Throughput !== undefined ? { throughput: v.Throughput } : {}),
    encrypted: v.Encrypted === true,
    ...(v.KmsKeyId ? { kmsKeyId: v.KmsKeyId } : {}),
    attachedInstanceIds: (v.Attachments ?? []).flatMap((a) => (a.InstanceId ? [a.InstanceId] : [])),
    tags: Object.fromEntries((v.Tags ?? []).flatMap((t) => (t.Key ? [[t.Key, t.Value ?? ""]] : []))),
  };
}

/** Tag keys AWS reserves: they cannot be copied onto a snapshot or a new volume. */
const copyable = (tags: Record<string, string>) =>
  Object.entries(tags)
    .filter(([k]) => !k.startsWith("aws:"))
    .map(([Key, Value]) => ({ Key, Value }));

export async function createSnapshot(
  client: EC2Client,
  volumeId: string,
  description: string,
  tags: Record<string, string>,
): Promise<string> {
  const out = await client.send(
    new CreateSnapshotCommand({
      VolumeId: volumeId,
      Description: description.slice(0, 255),
      TagSpecifications: [{ ResourceType: "snapshot", Tags: copyable(tags) }],
    }),
  );
  if (!out.SnapshotId) throw new Error(`CreateSnapshot for ${volumeId} returned no snapshot id`);
  return out.SnapshotId;
}

/**
 * The janitor's own snapshot of this volume for this finding, not failed (a retried delete
 * reuses it rather than taking another).
 */
export async function findJanitorSnapshot(
  client: EC2Client,
  volumeId: string,
  findingId: string,
): Promise<string | undefined> {
  const out = await client.send(
    new DescribeSnapshotsCommand({
      OwnerIds: ["self"],
      Filters: [
        { Name: "volume-id", Values: [volumeId] },
        { Name: "tag:ml-janitor:finding-id", Values: [findingId] },
      ],
    }),
  );
  return out.Snapshots?.find((s) => s.State !== "error")?.SnapshotId;
}

/** pending | completed | error | recoverable | recovering; undefined when the snapshot is gone. */
export async function snapshotState(client: EC2Client, snapshotId: string): Promise<string | undefined> {
  const out = await unlessMissing(
    () => client.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] })),
    isSnapshotNotFound,
  );
  return out?.Snapshots?.find((s) => s.SnapshotId === snapshotId)?.State;
}

/**
 * Polls until the snapshot is `completed` (true), fails (`error`: throws), or `maxWaitMs`
 * passes (false). A first snapshot of a large volume can take longer than a Lambda may wait.
 */
export async function waitForSnapshot(
  client: EC2Client,
  snapshotId: string,
  opts: { maxWaitMs: number; pollMs: number; sleep?: (ms: number) => Promise<void> },
): Promise<boolean> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  // Counted in polls, not wall time: the wait is the same however slow each call is.
  const polls = Math.max(1, Math.floor(opts.maxWaitMs / opts.pollMs));
  for (let i = 0; ; i++) {
    const state = await snapshotState(client, snapshotId);
    if (state === "completed") return true;
    if (state === undefined || state === "error") {
      throw new Error(`snapshot ${snapshotId} ${state === undefined ? "disappeared" : "failed"}`);
    }
    if (i >= polls) return false;
    await sleep(opts.pollMs);
  }
}

export async function deleteVolume(client: EC2Client, volumeId: string): Promise<void> {
  await client.send(new DeleteVolumeCommand({ VolumeId: volumeId }));
}

export async function createVolumeFromSnapshot(
  client: EC2Client,
  input: {
    snapshotId: string;
    availabilityZone: string;
    volumeType: string;
    iops?: number;
    throughput?: number;
    kmsKeyId?: string;
    tags: Record<string, string>;
  },
): Promise<string> {
  const provisioned = ["io1", "io2", "gp3"].includes(input.volumeType);
  const out = await client.send(
    new CreateVolumeCommand({
      SnapshotId: input.snapshotId,
      AvailabilityZone: input.availabilityZone,
      VolumeType: input.volumeType as VolumeType,
      ...(provisioned && input.iops !== undefined ? { Iops: input.iops } : {}),
      ...(input.volumeType === "gp3" && input.throughput !== undefined
        ? { Throughput: input.throughput }
        : {}),
      ...(input.kmsKeyId ? { KmsKeyId: input.kmsKeyId } : {}),
      TagSpecifications: [{ ResourceType: "volume", Tags: copyable(input.tags) }],
    }),
  );
  if (!out.VolumeId) throw new Error(`CreateVolume from ${input.snapshotId} returned no volume id`);
  return out.VolumeId;
}
