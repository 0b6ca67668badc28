/**
 * Undo: recreate (or restart) what the janitor deleted (or stopped) from the record saved
 * before the action. Used by the Slack "Restore" button and `janitor restore <finding-id>`.
 * At most once: the restore is claimed in the store before anything is called.
 */
import { getRestore } from "../actions/registry.ts";
import type { AwsClients } from "../aws/clients.ts";
import type { JanitorStore } from "../store/types.ts";
import type { WorkflowStore } from "../store/workflow-types.ts";

export type RestoreResult =
  | { status: "restored"; detail: string; resourceArn: string }
  | { status: "nothing-to-restore" | "already-restored" | "unsupported"; detail: string };

export async function restoreFinding(input: {
  findingId: string;
  actor: string;
  store: JanitorStore & WorkflowStore;
  clients: AwsClients;
  now: Date;
}): Promise<RestoreResult> {
  const { store, findingId } = input;
  const undo = await store.getUndo(findingId);
  if (!undo)
    return {
      status: "nothing-to-restore",
      detail: `no undo record for ${findingId}: nothing was deleted or stopped`,
    };
  if (undo.restoredAt) {
    return {
      status: "already-restored",
      detail: `already restored by ${undo.restoredBy} at ${undo.restoredAt}`,
    };
  }
  const restorer = getRestore(undo.resourceType);
  if (!restorer)
    return { status: "unsupported", detail: `the janitor cannot restore a ${undo.resourceType}` };
  if (!(await store.markRestored(findingId, input.actor, input.now))) {
    return { status: "already-restored", detail: "already restored" };
  }
  const region = undo.resourceArn.split(":")[3];
  const clients =
    region && region !== input.clients.options.region ? input.clients.forRegion(region) : input.clients;
  const { detail } = await restorer.run(clients, undo);
  await store.appendAudit({
    id: `restore:${findingId}:${undo.savedAt}`,
    at: input.now.toISOString(),
    actor: input.actor,
    action: "workflow.restored",
    findingId,
    resourceArn: undo.resourceArn,
    reason: detail,
  });
  return { status: "restored", detail, resourceArn: undo.resourceArn };
}
