/**
 * Right before acting: the safety rails, then the detector again on fresh data. Any rail that
 * says no, or any sign of use since the notice, means no action — and the thread says why.
 */
import type { AwsClients } from "../aws/clients.ts";
import type { EndpointConfigCache } from "../aws/endpoint-inventory.ts";
import { isProduction } from "../detectors/common.ts";
import { getDetector } from "../detectors/registry.ts";
import type { JanitorConfig } from "../policy/schema.ts";
import { evaluateResource } from "../scan/evaluate-resource.ts";
import { tagSettings } from "../scan/run-scan.ts";
import type { WorkflowStore } from "../store/workflow-types.ts";
import { DAY_MS } from "../util/duration.ts";
import type { RecheckResult, WorkflowState } from "./types.ts";

export interface RecheckDeps {
  config: JanitorConfig;
  clients: AwsClients;
  store: WorkflowStore;
  now: Date;
  endpointConfigCache?: EndpointConfigCache;
}

/** How long past the deadline an action may wait for the blast-radius cap before giving up. */
const MAX_DEFER_MS = 7 * DAY_MS;

/** The finding's account: from its ARN, else (S3 ARNs carry none) the scan's. */
export function accountOf(state: Pick<WorkflowState, "finding" | "accountId">): string {
  return state.finding.resource.arn.split(":")[4] || state.accountId || "";
}

export async function recheck(state: WorkflowState, deps: RecheckDeps): Promise<RecheckResult> {
  const { finding } = state;
  const decision = state.decision;
  const policy = deps.config.policies.find((p) => p.name === state.policyName);
  if (!policy) return { verdict: "skip", reason: `policy ${state.policyName} is no longer in the config` };
  if (!decision || (decision.kind !== "approve" && decision.kind !== "timeout")) {
    return { verdict: "skip", reason: "no decision to act on" };
  }
  const detector = getDetector(policy.type);
  const isTimeout = decision.kind === "timeout";
  // A budget's tightening (fixed at the workflow's start) may turn `none` into `stop`, no further.
  const timeoutAction = state.tightening?.timeoutAction ?? policy.timeoutAction;
  const action = isTimeout
    ? timeoutAction === "none"
      ? undefined
      : timeoutAction
    : (detector.actions.find((a) => a === finding.proposedAction) ??
      detector.actions.find((a) => a !== "tag"));
  const tags = tagSettings(deps.config);

  // Safety model: `notify` policies never act, whoever answers (no Approve button is offered,
  // and a crafted approve is refused here too).
  if (policy.mode !== "enforce") {
    return {
      verdict: "skip",
      reason: isTimeout
        ? "no answer; the policy only notifies, so nothing was done"
        : "the policy only notifies (mode: notify): nothing is done, whoever approves",
    };
  }
  if (!action || action === "tag") {
    return {
      verdict: "skip",
      reason: isTimeout ? "no answer; the policy's timeout action is none" : "no action applies",
    };
  }
  const account = accountOf(state);
  if (!deps.config.accounts.enforce.includes(account)) {
    return {
      verdict: "skip",
      reason: `account ${account} is not in accounts.enforce: the janitor never acts there`,
    };
  }

  const evaluation = await evaluateResource({
    finding,
    policy,
    config: deps.config,
    clients: deps.clients,
    now: deps.now,
    accountId: account,
    ...(deps.endpointConfigCache ? { endpointConfigCache: deps.endpointConfigCache } : {}),
  });
  if (evaluation.status === "excluded")
    return { verdict: "cancel", reason: `now ${evaluation.reason}: left alone` };
  if (evaluation.status === "cleared") return { verdict: "cancel", reason: evaluation.reason };
  if (evaluation.status === "undetermined") {
    return { verdict: "cancel", reason: `changed since the notice (${evaluation.reason}): left alone` };
  }
  const fresh = evaluation.finding;
  if (isTimeout && isProduction(fresh.resource.tags, tags)) {
    return {
      verdict: "skip",
      reason: `tagged ${tags.production.tag}=${fresh.resource.tags[tags.production.tag]}: never acted on by timeout`,
    };
  }
  if (deps.config.safety.dryRun) {
    return {
      verdict: "skip",
      reason: `dry run: would ${action} it now`,
      monthlyCostUsd: fresh.monthlyCostUsd,
    };
  }
  const day = deps.now.toISOString().slice(0, 10);
  // Every kind takes a slot, `configure` too: the lifecycle rules it applies expire and move
  // objects in ways restoring the configuration does not undo (docs/decisions/010).
  const slot = await deps.store.takeActionSlot(
    day,
    deps.config.safety.maxDestructiveActionsPerRun,
    finding.id,
  );
  if (!slot) {
    const deadline = new Date(state.timing.deadline).getTime();
    if (deps.now.getTime() - deadline > MAX_DEFER_MS) {
      return {
        verdict: "skip",
        reason: "the daily cap on destructive actions stayed full for a week: gave up",
      };
    }
    return {
      verdict: "defer",
      reason: `today's cap of ${deps.config.safety.maxDestructiveActionsPerRun} destructive actions is reached: retrying tomorrow`,
    };
  }
  return { verdict: "act", action, reason: fresh.reason, monthlyCostUsd: fresh.monthlyCostUsd };
}
