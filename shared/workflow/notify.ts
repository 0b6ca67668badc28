/**
 * The Notify/Remind task (`.waitForTaskToken`): stores the task token under the short decision
 * id, then posts the notice (or the one reminder in its thread). The task completes when
 * someone decides (the interactions handler calls SendTaskSuccess) or times out.
 */
import { isProduction } from "../detectors/common.ts";
import type { JanitorConfig } from "../policy/schema.ts";
import { tagSettings } from "../scan/run-scan.ts";
import { buildNotice } from "../slack/blocks/build-notice.ts";
import { buildReminder } from "../slack/blocks/build-reminder.ts";
import { consoleUrl } from "../slack/blocks/console-url.ts";
import type { NoticeInput } from "../slack/blocks/types.ts";
import type { SlackApi } from "../slack/client.ts";
import type { WorkflowStore } from "../store/workflow-types.ts";
import { accountOf } from "./recheck.ts";
import type { NotifyPayload } from "./types.ts";

export interface OwnerTarget {
  channel: string;
  userId?: string;
  via: "dm" | "team" | "default";
}

export interface NotifyDeps {
  config: JanitorConfig;
  store: WorkflowStore;
  slack: SlackApi;
  resolveOwner: (finding: NotifyPayload["input"]["finding"]) => Promise<OwnerTarget>;
  now: Date;
}

export const SNOOZE_CHOICES = [7, 1, 30];

function noticeInput(payload: NotifyPayload, deps: NotifyDeps, ownerUserId?: string): NoticeInput {
  const state = payload.input;
  const policy = deps.config.policies.find((p) => p.name === state.policyName);
  const tags = tagSettings(deps.config);
  const account = accountOf(state);
  const enforcing = policy?.mode === "enforce" && deps.config.accounts.enforce.includes(account);
  // A budget's tightening (fixed when the workflow started) turns a `none` into `stop`.
  const timeoutAction = enforcing
    ? (state.tightening?.timeoutAction ?? policy?.timeoutAction ?? "none")
    : "none";
  const resourceTags = state.finding.resource.tags;
  const protectedFromTimeout =
    timeoutAction !== "none" && isProduction(resourceTags, tags)
      ? `tagged ${tags.production.tag}=${resourceTags[tags.production.tag]}`
      : undefined;
  return {
    finding: state.finding,
    policyName: state.policyName,
    mode: enforcing ? "enforce" : "notify",
    timeoutAction,
    decisionId: state.decisionId,
    deadline: new Date(state.timing.deadline),
    now: deps.now,
    snoozeDays: SNOOZE_CHOICES,
    consoleUrl: consoleUrl(state.finding),
    protectTag: tags.protectTag,
    ...(ownerUserId ? { ownerMention: `<@${ownerUserId}>` } : {}),
    ...(protectedFromTimeout ? { protectedFromTimeout } : {}),
    ...(state.tightening ? { tightened: tightenedWords(state.tightening) } : {}),
  };
}

/** "Budget team-nlp passed its tightening threshold: 1d to answer, then it stops (until 2026-12-01)." */
export function tightenedWords(t: NonNullable<NotifyPayload["input"]["tightening"]>): string {
  const terms = [
    ...(t.gracePeriod ? [`${t.gracePeriod} to answer`] : []),
    ...(t.timeoutAction ? [`then it ${t.timeoutAction}s`] : []),
  ].join(", ");
  const which = t.budgets.length === 1 ? `Budget ${t.budgets[0]}` : `Budgets ${t.budgets.join(", ")}`;
  return `${which} passed its tightening threshold this month: ${terms} (until ${t.until}).`;
}

export async function notify(
  payload: NotifyPayload,
  deps: NotifyDeps,
): Promise<{ channel: string; ts: string }> {
  const state = payload.input;
  const existing = await deps.store.getPendingDecision(state.decisionId);
  const base = {
    decisionId: state.decisionId,
    findingId: state.finding.id,
    executionName: state.executionName,
    taskToken: payload.taskToken,
    phase: payload.phase,
    deadline: state.timing.deadline,
  };

  if (payload.phase === "reminder" && existing?.channel && existing.messageTs) {
    // Token first: a click on the reminder must find the live token.
    await deps.store.savePendingDecision({ ...existing, ...base });
    const message = buildReminder(noticeInput(payload, deps, existing.ownerUserId));
    const posted = await deps.slack.postMessage({
      channel: existing.channel,
      threadTs: existing.messageTs,
      ...message,
    });
    await deps.store.savePendingDecision({ ...existing, ...base, reminderTs: posted.ts });
    return { channel: existing.channel, ts: existing.messageTs };
  }

  if (existing?.phase === "notice" && existing.channel && existing.messageTs) {
    // A retried invocation: the notice is already out; only the token is new.
    await deps.store.savePendingDecision({ ...existing, ...base });
    return { channel: existing.channel, ts: existing.messageTs };
  }

  const target = await deps.resolveOwner(state.finding);
  await deps.store.savePendingDecision({ ...base, ...(target.userId ? { ownerUserId: target.userId } : {}) });
  const message = buildNotice(noticeInput(payload, deps, target.userId));
  const posted = await deps.slack.postMessage({ channel: target.channel, ...message });
  await deps.store.savePendingDecision({
    ...base,
    channel: posted.channel,
    messageTs: posted.ts,
    ...(target.userId ? { ownerUserId: target.userId } : {}),
  });
  return posted;
}
