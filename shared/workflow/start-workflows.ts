/**
 * After a scan: one cleanup execution per new actionable finding. Each claim in the store
 * is conditional and the execution name deterministic (`<findingId>-c<cycle>`), so a rerun or
 * a redelivered event starts nothing twice; snoozed, kept and in-flight findings are skipped.
 */
import type { SFNClient } from "@aws-sdk/client-sfn";
import pLimit from "p-limit";
import { startExecution } from "../aws/sfn.ts";
import type { JanitorConfig } from "../policy/schema.ts";
import type { WorkflowInput, WorkflowStore } from "../store/workflow-types.ts";
import type { Finding } from "../types.ts";
import { workflowTiming } from "./timing.ts";

export interface StartWorkflowsResult {
  started: string[];
  /** Already started by an earlier delivery of the same scan: nothing new. */
  alreadyRunning: string[];
  skipped: Array<{ findingId: string; reason: string }>;
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
}): Promise<StartWorkflowsResult> {
  const result: StartWorkflowsResult = { started: [], alreadyRunning: [], skipped: [] };
  // Claims are per finding and conditional, so they can run side by side; bounded for DynamoDB
  // and StartExecution's rate (Standard: a few hundred per second per account).
  const limit = pLimit(input.concurrency ?? 8);
  await Promise.all(input.findings.map((finding) => limit(() => startOne(finding, input, result))));
  return result;
}

async function startOne(
  finding: Finding,
  input: Parameters<typeof startWorkflows>[0],
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
  const execution: WorkflowInput = {
    finding,
    policyName: policy.name,
    decisionId: claim.decisionId,
    executionName: claim.executionName,
    scanId: input.scanId,
    ...(input.accountId ? { accountId: input.accountId } : {}),
    timing: workflowTiming(policy, new Date(claim.claimedAt)),
  };
  const started = await startExecution(input.sfn, {
    stateMachineArn: input.stateMachineArn,
    name: claim.executionName,
    input: execution,
  });
  await input.store.markWorkflowStarted(finding.id, claim.executionName);
  (started.status === "started" ? result.started : result.alreadyRunning).push(finding.id);
}
