/**
 * Undoes `apply-lifecycle`: puts back the bucket's previous lifecycle configuration exactly, or
 * deletes the lifecycle when it had none. The bucket is read first: if its rules are neither what
 * the janitor applied nor already the previous ones, someone changed them since, and overwriting
 * would lose their change — nothing is done and the error says where the previous rules are.
 * `restorePreviousLifecycle` is shared with `restore-multipart`.
 */
import type { AwsClients } from "../aws/clients.ts";
import { deleteLifecycle, getLifecycle, putLifecycle } from "../aws/s3-lifecycle.ts";
import { InvalidStateError, InvalidUndoRecordError } from "../errors.ts";
import { type LifecycleConfiguration, sameRules } from "../s3/lifecycle.ts";
import type { UndoRecord } from "../store/workflow-types.ts";
import { clientsFor, undoRegion, undoString } from "./common.ts";
import type { RestoreAction } from "./types.ts";

function isConfiguration(value: unknown): value is LifecycleConfiguration {
  return (
    typeof value === "object" && value !== null && Array.isArray((value as LifecycleConfiguration).Rules)
  );
}

/** Puts `previous` back (or deletes the lifecycle for "none") if the bucket still has `applied`. */
export async function restorePreviousLifecycle(
  clients: AwsClients,
  undo: UndoRecord,
  previousKey: string,
  appliedKey: string,
): Promise<string> {
  const { s3 } = clientsFor(clients, undoRegion(undo));
  const bucket = undoString(undo.data, "bucket", undo.resourceArn);
  const previous = undo.data[previousKey];
  const applied = undo.data[appliedKey];
  if (!(previous === "none" || isConfiguration(previous)) || !isConfiguration(applied)) {
    throw new InvalidUndoRecordError(
      `undo record for ${undo.resourceArn} has no previous and applied lifecycle`,
    );
  }
  const current = (await getLifecycle(s3, bucket))?.Rules ?? [];
  const previousRules = previous === "none" ? [] : previous.Rules;
  if (sameRules(current, previousRules)) return `${bucket} already has its previous lifecycle configuration`;
  if (!sameRules(current, applied.Rules)) {
    throw new InvalidStateError(
      bucket,
      "changed since the janitor applied its rules",
      ["as the janitor left it"],
      `the lifecycle configuration of ${bucket} changed after the janitor applied its rules: not overwritten; ` +
        `the previous configuration is in the undo record of ${undo.findingId}`,
    );
  }
  if (previous === "none") {
    await deleteLifecycle(s3, bucket);
    return `removed the lifecycle configuration of ${bucket}: it had none before`;
  }
  await putLifecycle(s3, bucket, previous);
  return `put back the previous lifecycle configuration of ${bucket} (${previous.Rules.length} rule(s))`;
}

export const restoreLifecycle: RestoreAction = {
  resourceType: "s3:bucket",
  permissions: ["s3:GetLifecycleConfiguration", "s3:PutLifecycleConfiguration"],
  async run(clients, undo) {
    return { detail: await restorePreviousLifecycle(clients, undo, "previous", "applied") };
  },
};
