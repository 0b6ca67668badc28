/**
 * Undoes `delete-volume`: creates a new volume from the snapshot taken before the delete, in
 * the same Availability Zone, with the same type, IOPS/throughput, KMS key and tags. EBS gives
 * it a new id (volume ids are never reused): the detail names it. The snapshot is left in
 * place; attach the volume where it belongs. If the old volume still exists (the delete never
 * ran), nothing is created.
 */
import { createVolumeFromSnapshot, describeVolume, snapshotState } from "../aws/actions-ebs.ts";
import { InvalidStateError, InvalidUndoRecordError } from "../errors.ts";
import { clientsFor, undoRegion, undoString } from "./common.ts";
import type { RestoreAction } from "./types.ts";

export const restoreVolume: RestoreAction = {
  resourceType: "ec2:volume",
  permissions: ["ec2:DescribeVolumes", "ec2:DescribeSnapshots", "ec2:CreateVolume", "ec2:CreateTags"],
  async run(clients, undo) {
    const volumeId = undoString(undo.data, "volumeId", undo.resourceArn);
    const snapshotId = undoString(undo.data, "snapshotId", undo.resourceArn);
    const availabilityZone = undoString(undo.data, "availabilityZone", undo.resourceArn);
    const volumeType = undoString(undo.data, "volumeType", undo.resourceArn);
    const tags = undo.data.tags;
    if (tags !== undefined && (typeof tags !== "object" || tags === null || Array.isArray(tags))) {
      throw new InvalidUndoRecordError(`undo record for ${undo.resourceArn} has malformed "tags"`);
    }
    const { ec2 } = clientsFor(clients, undoRegion(undo));
    const old = await describeVolume(ec2, volumeId);
    if (old && old.state !== "deleting" && old.state !== "deleted") {
      return { detail: `volume ${volumeId} still exists (${old.state}): nothing to restore` };
    }
    const state = await snapshotState(ec2, snapshotId);
    if (state !== "completed") {
      throw new InvalidStateError(`snapshot ${snapshotId}`, state ?? "gone", ["completed"]);
    }
    const num = (k: string) => (typeof undo.data[k] === "number" ? (undo.data[k] as number) : undefined);
    const iops = num("iops");
    const throughput = num("throughput");
    const newId = await createVolumeFromSnapshot(ec2, {
      snapshotId,
      availabilityZone,
      volumeType,
      ...(iops !== undefined ? { iops } : {}),
      ...(throughput !== undefined ? { throughput } : {}),
      ...(typeof undo.data.kmsKeyId === "string" ? { kmsKeyId: undo.data.kmsKeyId } : {}),
      tags: (tags ?? {}) as Record<string, string>,
    });
    return {
      detail: `created volume ${newId} from snapshot ${snapshotId} in ${availabilityZone} (it replaces ${volumeId}, which EBS does not bring back under its old id); attach it where it belongs`,
    };
  },
};
