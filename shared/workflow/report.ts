/**
 * The last step of every run: the original Slack message is replaced with what happened (who
 * decided, what was done, $ per month saved), the cycle is closed in the store, the audit and
 * savings ledger are written, and failures also go to the ops channel.
 */
import type { JanitorConfig } from "../policy/schema.ts";
import { buildOpsFailure } from "../slack/blocks/build-ops-failure.ts";
import { buildOutcome } from "../slack/blocks/build-outcome.ts";
import { buildThreadNote } from "../slack/blocks/build-thread-note.ts";
import type { SlackApi } from "../slack/client.ts";
import type { JanitorStore } from "../store/types.ts";
import type { WorkflowStore } from "../store/workflow-types.ts";
import { parseDurationSeconds } from "../util/duration.ts";
import { type RunOutcome, runOutcome } from "./outcome.ts";
import type { WorkflowState } from "./types.ts";

export interface ReportDeps {
  config: JanitorConfig;
  store: JanitorStore & WorkflowStore;
  slack: SlackApi;
  now: Date;
}

export async function report(state: WorkflowState, deps: ReportDeps): Promise<RunOutcome> {
  const { finding, executionName, decisionId } = state;
  const policy = deps.config.policies.find((p) => p.name === state.policyName);
  const grace = policy ? parseDurationSeconds(policy.gracePeriod) : 3 * 86_400;
  const result = runOutcome(state, grace);

  if (state.decision?.kind === "timeout") await deps.store.recordDecision(decisionId, state.decision);
  await deps.store.closeWorkflow({
    findingId: finding.id,
    executionName,
    status: result.status,
    at: deps.now,
    ...(result.snoozedUntil ? { snoozedUntil: result.snoozedUntil } : {}),
    ...(result.quietForSeconds
      ? { quietUntil: new Date(deps.now.getTime() + result.quietForSeconds * 1000) }
      : {}),
    // For a keep this is the exemption's reason, in the keeper's words.
    reason:
      result.outcome === "kept" && result.reason
        ? result.reason
        : `${result.outcome}${result.detail ? `: ${result.detail}` : ""}`,
    actor: result.actor,
  });
  if (result.actionTaken !== "none" && result.savedMonthlyUsd > 0) {
    await deps.store.recordSaving({
      findingId: finding.id,
      // Deterministic per run, so a retried report records the saving once.
      at: state.decision?.at ?? state.timing.deadline,
      action: result.actionTaken,
      monthlyUsd: result.savedMonthlyUsd,
      resourceArn: finding.resource.arn,
      decidedBy: result.actor,
    });
  }
  await deps.store.appendAudit({
    id: `workflow:${executionName}:${result.outcome}`,
    at: deps.now.toISOString(),
    actor: result.actor,
    action: `workflow.${result.outcome}`,
    findingId: finding.id,
    resourceArn: finding.resource.arn,
    reason: result.detail ?? result.reason ?? result.outcome,
    evidence: {
      decision: state.decision ?? null,
      recheck: state.recheck?.value ?? null,
      act: state.act?.value ?? null,
      error: state.error ?? null,
    },
  });

  const pending = await deps.store.getPendingDecision(decisionId);
  if (pending?.channel && pending.messageTs) {
    const message = buildOutcome({
      finding,
      outcome: result.outcome,
      actor: result.actor,
      actionTaken: result.actionTaken,
      savedMonthlyUsd: result.savedMonthlyUsd,
      decisionId,
      undoAvailable: result.undoAvailable,
      ...(result.snoozedUntil ? { snoozedUntil: result.snoozedUntil } : {}),
      ...(result.reason ? { reason: result.reason } : {}),
      ...(result.detail ? { detail: result.detail } : {}),
    });
    await deps.slack.updateMessage({ channel: pending.channel, ts: pending.messageTs, ...message });
    if (pending.reminderTs) {
      // The reminder's buttons would only answer "already decided" now: say what happened instead.
      await deps.slack.updateMessage({
        channel: pending.channel,
        ts: pending.reminderTs,
        ...buildThreadNote(`Decided: ${message.text}`),
      });
    }
    if (result.outcome === "cancelled" || result.outcome === "failed") {
      const note =
        result.outcome === "cancelled"
          ? `Re-check before acting: ${result.detail}`
          : `Failed: ${result.detail}`;
      await deps.slack.postMessage({
        channel: pending.channel,
        threadTs: pending.messageTs,
        ...buildThreadNote(note),
      });
    }
  }
  if (result.outcome === "failed" && deps.config.slack.opsChannel) {
    await deps.slack.postMessage({
      channel: deps.config.slack.opsChannel,
      ...buildOpsFailure({
        executionName,
        findingId: finding.id,
        error: state.error?.Error ?? "Error",
        ...(state.error?.Cause ? { cause: state.error.Cause } : {}),
      }),
    });
  }
  return result;
}
