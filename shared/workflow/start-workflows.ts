/**
 * After a scan: one cleanup execution per new actionable finding. Each claim in the store
 * is conditional and the execution name deterministic (`<findingId>-c<cycle>`), so a rerun or
 * a redelivered event starts nothing twice; snoozed, kept and in-flight findings are skipped.
 */
import type { SFNClient } from "@aws-sdk/client-sfn";
import pLimit from "p-limit";
import { startExecution } from "../aws/sfn.ts";
import type { JanitorConfig } from "../policy/schema.ts";
import type { Tightening, TighteningReader } from "../store/cost-types.ts";
import type { WorkflowInput, WorkflowStore } from "../store/workflow-types.ts";
import type { Finding } from "../types.ts";
import { accountOf } from "./recheck.ts";
import { tightenedTerms } from "./tightening.ts";
import { workflowTiming } from "./timing.ts";

export interface StartWorkflowsResult {
  started: string[];
  /** Already started by an earlier delivery of the same scan: nothing new. */
  alreadyRunning: string[];
  skipped: Array<{ findingId: string; reason: string }>;
  /** Findings started on stricter terms because their scope passed a budget's `tighten`. */
  tightened: string[];
}

export async function startWorkflows(input: {
  findings: Finding[];
  config: JanitorConfig;
  store: WorkflowStore;
  sfn: SFNClient;
  stateMachineArn: string;
  scanId: string;
  accountId?: string;
  now: Date;
  concurrency?: number;
  /** This month's tightened scopes (cost watch's records); without it, no tightening. */
  tightenings?: TighteningReader;
}): Promise<StartWorkflowsResult> {
  const result: StartWorkflowsResult = { started: [], alreadyRunning: [], skipped: [], tightened: [] };
  // Keyed by the month of `now`: a new month starts with none (rollover undoes tightening).
  const tightenings = (await input.tightenings?.tighteningsOf(input.now.toISOString().slice(0, 7))) ?? [];
  // Claims are per finding and conditional, so they can run side by side; bounded for DynamoDB
  // and StartExecution's rate (Standard: a few hundred per second per account).
  const limit = pLimit(input.concurrency ?? 8);
  await Promise.all(
    input.findings.map((finding) => limit(() => startOne(finding, input, tightenings, result))),
  );
  return result;
}

async function startOne(
  finding: Finding,
  input: Parameters<typeof startWorkflows>[0],
  tightenings: readonly Tightening[],
  result: StartWorkflowsResult,
): Promise<void> {
  const policy = input.config.policies.find((p) => p.name === finding.policy);
  if (!policy || policy.mode === "report") {
    result.skipped.push({ findingId: finding.id, reason: "policy in report mode" });
    return;
  }
  if (finding.proposedAction === "review" || finding.proposedAction === "none") {
    result.skipped.push({ findingId: finding.id, reason: "a recommendation: reported, no workflow" });
    return;
  }
  const claim = await input.store.claimWorkflow(finding.id, input.now);
  if (!claim) {
    result.skipped.push({ findingId: finding.id, reason: "in flight, snoozed, kept or decided" });
    return;
  }
  const tightening = tightenedTerms({
    finding,
    policy,
    config: input.config,
    tightenings,
    account: accountOf({ finding, ...(input.accountId ? { accountId: input.accountId } : {}) }),
  });
  const terms = tightening?.gracePeriod ? { ...policy, gracePeriod: tightening.gracePeriod } : policy;
  const execution: WorkflowInput = {
    finding,
    policyName: policy.name,
    decisionId: claim.decisionId,
    executionName: claim.executionName,
    scanId: input.scanId,
    ...(input.accountId ? { accountId: input.accountId } : {}),
    timing: workflowTiming(terms, new Date(claim.claimedAt)),
    ...(tightening ? { tightening } : {}),
  };
  const started = await startExecution(input.sfn, {
    stateMachineArn: input.stateMachineArn,
    name: claim.executionName,
    input: execution,
  });
  await input.store.markWorkflowStarted(finding.id, claim.executionName);
  if (tightening) result.tightened.push(finding.id);
  (started.status === "started" ? result.started : result.alreadyRunning).push(finding.id);
}
