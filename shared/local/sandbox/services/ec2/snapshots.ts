/**
 * EBS snapshots and the volume calls of the delete-volume action and its restore:
 * CreateSnapshot, DescribeSnapshots, DeleteVolume, CreateVolume (from a snapshot). Snapshots
 * complete at once here; `snapshotDelay` knobs are not modelled (AWS takes minutes to hours).
 */
import { randomBytes } from "node:crypto";
import { SandboxError } from "../../errors.ts";
import { ec2Filters, type FormParams, indexedList } from "../../protocol/query.ts";
import type { QueryHandler, SandboxContext } from "../../service.ts";
import type { SbEbsSnapshot, SbEbsVolume, SbTags } from "../../types.ts";
import { invalidValue, matchFilters, tagSet } from "./common.ts";

const hexId = (prefix: string) => `${prefix}-${randomBytes(8).toString("hex").slice(0, 17)}`;

function snapshots(ctx: SandboxContext): SbEbsSnapshot[] {
  ctx.scenario.ec2.snapshots ??= [];
  return ctx.scenario.ec2.snapshots;
}

function volumeOf(ctx: SandboxContext, id: string | null): SbEbsVolume {
  if (!id) throw new SandboxError("MissingParameter", "The request must contain the parameter volumeId");
  const v = ctx.scenario.ec2.volumes.find((x) => x.volumeId === id);
  if (!v || v.state === "deleted")
    throw new SandboxError("InvalidVolume.NotFound", `The volume '${id}' does not exist.`);
  return v;
}

/** `TagSpecification.N.ResourceType` + `.Tag.M.Key/Value`, for one resource type. */
function tagsFor(params: FormParams, resourceType: string): SbTags {
  const tags: SbTags = {};
  for (let i = 1; params.get(`TagSpecification.${i}.ResourceType`) !== null; i++) {
    const type = params.get(`TagSpecification.${i}.ResourceType`);
    if (type !== resourceType)
      throw invalidValue(`'${type}' is not a valid taggable resource type for this operation.`);
    for (let j = 1; params.get(`TagSpecification.${i}.Tag.${j}.Key`) !== null; j++) {
      const key = params.get(`TagSpecification.${i}.Tag.${j}.Key`)!;
      if (key.startsWith("aws:"))
        throw invalidValue(`Tag keys starting with 'aws:' are reserved for internal use`);
      tags[key] = params.get(`TagSpecification.${i}.Tag.${j}.Value`) ?? "";
    }
  }
  return tags;
}

const zoneOf = (ctx: SandboxContext) => `${ctx.scenario.region}a`;

export const CreateSnapshot: QueryHandler = (params, ctx) => {
  const volume = volumeOf(ctx, params.get("VolumeId"));
  if (volume.state !== "available" && volume.state !== "in-use") {
    throw new SandboxError("IncorrectState", `The volume '${volume.volumeId}' is '${volume.state}'.`);
  }
  const snapshot: SbEbsSnapshot = {
    snapshotId: hexId("snap"),
    volumeId: volume.volumeId,
    volumeSizeGiB: volume.sizeGiB,
    state: "completed",
    startTime: ctx.now,
    description: params.get("Description") ?? "",
    tags: tagsFor(params, "snapshot"),
  };
  snapshots(ctx).push(snapshot);
  return {
    snapshotId: snapshot.snapshotId,
    volumeId: snapshot.volumeId,
    status: "pending",
    startTime: new Date(snapshot.startTime),
    progress: "",
    ownerId: ctx.scenario.accountId,
    volumeSize: snapshot.volumeSizeGiB,
    description: snapshot.description,
    encrypted: false,
    tagSet: tagSet(snapshot.tags),
  };
};

const SNAPSHOT_FIELDS: Record<string, (s: SbEbsSnapshot) => string | undefined> = {
  "volume-id": (s) => s.volumeId,
  "snapshot-id": (s) => s.snapshotId,
  status: (s) => s.state,
  "owner-id": () => undefined,
  description: (s) => s.description,
};

export const DescribeSnapshots: QueryHandler = (params, ctx) => {
  const ids = indexedList(params, "SnapshotId");
  const owners = indexedList(params, "Owner");
  const all = snapshots(ctx);
  const missing = ids.find((id) => !all.some((s) => s.snapshotId === id));
  if (missing)
    throw new SandboxError("InvalidSnapshot.NotFound", `The snapshot '${missing}' does not exist.`);
  const ours = owners.length === 0 || owners.includes("self") || owners.includes(ctx.scenario.accountId);
  const filters = ec2Filters(params);
  const matches = ours
    ? all
        .filter((s) => ids.length === 0 || ids.includes(s.snapshotId))
        .filter((s) => matchFilters(s, filters, SNAPSHOT_FIELDS, (x) => x.tags))
    : [];
  return {
    snapshotSet: matches.map((s) => ({
      snapshotId: s.snapshotId,
      volumeId: s.volumeId,
      status: s.state,
      startTime: new Date(s.startTime),
      progress: s.state === "completed" ? "100%" : "0%",
      ownerId: ctx.scenario.accountId,
      volumeSize: s.volumeSizeGiB,
      description: s.description,
      encrypted: false,
      storageTier: "standard",
      tagSet: tagSet(s.tags),
    })),
  };
};

export const DeleteVolume: QueryHandler = (params, ctx) => {
  const volume = volumeOf(ctx, params.get("VolumeId"));
  if (volume.state === "in-use" || volume.attachedInstanceId) {
    throw new SandboxError(
      "VolumeInUse",
      `Volume ${volume.volumeId} is currently attached to ${volume.attachedInstanceId}`,
    );
  }
  volume.state = "deleted";
  return { return: true };
};

const VOLUME_TYPES = new Set(["gp2", "gp3", "io1", "io2", "st1", "sc1", "standard"]);

export const CreateVolume: QueryHandler = (params, ctx) => {
  const zone = params.get("AvailabilityZone");
  if (!zone)
    throw new SandboxError("MissingParameter", "The request must contain the parameter AvailabilityZone");
  if (zone !== zoneOf(ctx)) throw invalidValue(`Invalid availability zone: [${zone}]`);
  const snapshotId = params.get("SnapshotId");
  const snapshot = snapshotId ? snapshots(ctx).find((s) => s.snapshotId === snapshotId) : undefined;
  if (snapshotId && !snapshot)
    throw new SandboxError("InvalidSnapshot.NotFound", `The snapshot '${snapshotId}' does not exist.`);
  if (snapshot && snapshot.state !== "completed") {
    throw new SandboxError("IncorrectState", `Snapshot '${snapshot.snapshotId}' is not 'completed'.`);
  }
  const size = params.get("Size") ? Number(params.get("Size")) : snapshot?.volumeSizeGiB;
  if (!size || !Number.isInteger(size) || size < 1)
    throw invalidValue("The request must contain the parameter size or snapshotId");
  const type = params.get("VolumeType") ?? "gp2";
  if (!VOLUME_TYPES.has(type)) throw invalidValue(`Value (${type}) for parameter volumeType is invalid.`);
  const volume: SbEbsVolume = {
    volumeId: hexId("vol"),
    volumeType: type as SbEbsVolume["volumeType"],
    sizeGiB: size,
    state: "available",
    createTime: ctx.now,
    tags: tagsFor(params, "volume"),
  };
  ctx.scenario.ec2.volumes.push(volume);
  return {
    volumeId: volume.volumeId,
    size: volume.sizeGiB,
    snapshotId: snapshotId ?? "",
    availabilityZone: zone,
    status: "creating",
    createTime: new Date(volume.createTime),
    volumeType: volume.volumeType,
    encrypted: false,
    multiAttachEnabled: false,
    tagSet: tagSet(volume.tags),
  };
};
