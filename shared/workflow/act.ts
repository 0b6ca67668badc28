/** Takes the action the re-check allowed: idempotent, undo saved before anything destructive. */
import { getAction } from "../actions/registry.ts";
import type { AwsClients } from "../aws/clients.ts";
import { UnsupportedActionError } from "../errors.ts";
import type { WorkflowStore } from "../store/workflow-types.ts";
import type { ActResult, WorkflowState } from "./types.ts";

export async function act(
  state: WorkflowState,
  deps: { clients: AwsClients; store: WorkflowStore; now: Date },
): Promise<ActResult> {
  const verdict = state.recheck?.value;
  if (verdict?.verdict !== "act" || !verdict.action)
    throw new Error("act called without a re-check verdict to act");
  const { finding } = state;
  const action = getAction(finding.resource.type, verdict.action);
  if (!action)
    throw new UnsupportedActionError(`the janitor cannot ${verdict.action} a ${finding.resource.type}`);
  const region = finding.resource.region;
  const clients = region === deps.clients.options.region ? deps.clients : deps.clients.forRegion(region);
  let undoSaved = false;
  const outcome = await action.run(clients, finding, async (undo) => {
    if (!undo) return;
    await deps.store.saveUndo({ ...undo, findingId: finding.id, savedAt: deps.now.toISOString() });
    undoSaved = true;
  });
  return {
    action: verdict.action,
    result: outcome.result,
    detail: outcome.detail,
    savedMonthlyUsd: outcome.result === "done" ? (verdict.monthlyCostUsd ?? finding.monthlyCostUsd) : 0,
    undoAvailable: undoSaved,
  };
}
