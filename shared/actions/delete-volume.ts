/**
 * Deletes an unattached EBS volume, after a snapshot of it has COMPLETED: the snapshot is the
 * undo (`restore-volume` creates a new volume from it, in the same Availability Zone, with the
 * same type, performance settings and tags). The snapshot is tagged with the volume and the
 * finding, so a retried Act step finds and reuses it instead of taking another; while it is
 * still pending nothing is deleted and SnapshotPendingError makes the state machine try again
 * later. The snapshot is billed (standard tier, per GB of data actually written) until someone
 * deletes it: the outcome says so.
 *
 * A volume encrypted with a customer managed KMS key needs that key's policy to let the
 * janitor's role use it for the snapshot and the restore (EBS asks KMS on the caller's behalf).
 *
 * From `available` only; `in-use` (someone attached it since the notice) fails with
 * InvalidStateError and changes nothing; `deleting`/`deleted` or gone is success.
 *
 * ```yaml
 * - name: unattached-volumes
 *   type: unattached-volume
 *   mode: enforce
 *   gracePeriod: 7d
 *   timeoutAction: delete   # explicit: a delete is never the default
 * ```
 */
import type { EC2Client } from "@aws-sdk/client-ec2";
import {
  createSnapshot,
  describeVolume,
  findJanitorSnapshot,
  deleteVolume as sendDeleteVolume,
  waitForSnapshot,
} from "../aws/actions-ebs.ts";
import { SnapshotPendingError } from "../errors.ts";
import type { Finding } from "../types.ts";
import { checkOrigin, clientsFor, GONE, undoFor } from "./common.ts";
import type { ResourceAction } from "./types.ts";

/** Tags that mark the janitor's undo snapshot (and let a retry find it). */
export const SNAPSHOT_VOLUME_TAG = "ml-janitor:volume-id";
export const SNAPSHOT_FINDING_TAG = "ml-janitor:finding-id";

export interface DeleteVolumeOptions {
  /** How long one Act invocation waits for the snapshot (the act Lambda runs for at most 120 s). */
  maxWaitMs: number;
  pollMs: number;
  sleep?: (ms: number) => Promise<void>;
}

const contract = { validOriginStates: ["available"], doneStates: ["deleting", "deleted"] };

async function undoSnapshot(
  ec2: EC2Client,
  finding: Finding,
  volume: { volumeId: string; tags: Record<string, string> },
) {
  const existing = await findJanitorSnapshot(ec2, volume.volumeId, finding.id);
  if (existing) return { snapshotId: existing, reused: true };
  const snapshotId = await createSnapshot(
    ec2,
    volume.volumeId,
    `ml-janitor: ${volume.volumeId} before deleting it (finding ${finding.id}); restore with janitor restore`,
    { ...volume.tags, [SNAPSHOT_VOLUME_TAG]: volume.volumeId, [SNAPSHOT_FINDING_TAG]: finding.id },
  );
  return { snapshotId, reused: false };
}

export function makeDeleteVolume(options: DeleteVolumeOptions): ResourceAction {
  const action: ResourceAction = {
    resourceType: "ec2:volume",
    kind: "delete",
    permissions: [
      "ec2:DescribeVolumes",
      "ec2:CreateSnapshot",
      "ec2:DescribeSnapshots",
      "ec2:CreateTags",
      "ec2:DeleteVolume",
    ],
    ...contract,
    async run(clients, finding, saveUndo) {
      const { ec2 } = clientsFor(clients, finding.resource.region);
      const id = finding.resource.id;
      const volume = await describeVolume(ec2, id);
      if (!volume) return { result: "already", fromState: GONE, detail: `volume ${id} no longer exists` };
      if (checkOrigin(action, `volume ${id}`, volume.state) === "done") {
        return {
          result: "already",
          fromState: volume.state,
          detail: `volume ${id} is already ${volume.state}`,
        };
      }
      const { snapshotId } = await undoSnapshot(ec2, finding, volume);
      const undo = undoFor(finding, "delete", {
        volumeId: id,
        snapshotId,
        availabilityZone: volume.availabilityZone,
        volumeType: volume.volumeType,
        sizeGiB: volume.sizeGiB,
        ...(volume.iops !== undefined ? { iops: volume.iops } : {}),
        ...(volume.throughput !== undefined ? { throughput: volume.throughput } : {}),
        encrypted: volume.encrypted,
        ...(volume.kmsKeyId ? { kmsKeyId: volume.kmsKeyId } : {}),
        tags: volume.tags,
      });
      // Saved before waiting: even if the delete never happens, the snapshot is on record.
      await saveUndo(undo);
      const done = await waitForSnapshot(ec2, snapshotId, options);
      if (!done) {
        throw new SnapshotPendingError(
          `snapshot ${snapshotId} of volume ${id} is still pending; the volume was not deleted and will be once the snapshot completes`,
        );
      }
      // Someone may have attached it while the snapshot ran.
      const now = await describeVolume(ec2, id);
      if (!now)
        return {
          result: "already",
          fromState: GONE,
          detail: `volume ${id} disappeared; snapshot ${snapshotId} kept`,
        };
      if (checkOrigin(action, `volume ${id}`, now.state) === "done") {
        return { result: "already", fromState: now.state, detail: `volume ${id} is already ${now.state}` };
      }
      await sendDeleteVolume(ec2, id);
      return {
        result: "done",
        fromState: volume.state,
        detail:
          `deleted volume ${id} (${volume.sizeGiB} GiB ${volume.volumeType}) after snapshot ${snapshotId} completed; ` +
          "the snapshot is kept for the undo and billed per GB of data written until you delete it",
        undo,
      };
    },
  };
  return action;
}

export const deleteVolume = makeDeleteVolume({ maxWaitMs: 90_000, pollMs: 5_000 });
