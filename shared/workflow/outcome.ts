/** Maps the finished state of a cleanup run to its outcome: pure, so every path is testable. */
import type { Outcome } from "../slack/blocks/types.ts";
import type { WorkflowState } from "./types.ts";

export interface RunOutcome {
  outcome: Outcome;
  actor: string;
  actionTaken: "stop" | "delete" | "configure" | "none";
  savedMonthlyUsd: number;
  detail?: string;
  reason?: string;
  snoozedUntil?: Date;
  undoAvailable: boolean;
  /** What the finding's status becomes in the store. */
  status: "snoozed" | "kept" | "acted" | "open" | "failed";
  /** For `open`: no new notice before this. */
  quietForSeconds?: number;
}

function causeText(cause: string): string {
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: string; errorType?: string };
    if (parsed.errorMessage)
      return parsed.errorType ? `${parsed.errorType}: ${parsed.errorMessage}` : parsed.errorMessage;
  } catch {
    // Not JSON: a plain cause.
  }
  return cause;
}

export function runOutcome(state: WorkflowState, graceSeconds: number): RunOutcome {
  const decision = state.decision;
  const actor = decision?.actor ?? "janitor";
  const none = { actionTaken: "none" as const, savedMonthlyUsd: 0, undoAvailable: false };
  if (state.error) {
    return {
      ...none,
      outcome: "failed",
      actor,
      detail: ((cause) => (cause.startsWith(state.error!.Error) ? cause : `${state.error!.Error}: ${cause}`))(
        causeText(state.error.Cause),
      ),
      status: "failed",
    };
  }
  if (decision?.kind === "snooze") {
    const until = new Date(new Date(decision.at).getTime() + decision.days * 86_400_000);
    return { ...none, outcome: "snoozed", actor, snoozedUntil: until, status: "snoozed" };
  }
  if (decision?.kind === "keep") {
    return { ...none, outcome: "kept", actor, reason: decision.reason, status: "kept" };
  }
  const verdict = state.recheck?.value;
  const done = state.act?.value;
  if (done) {
    return {
      outcome: decision?.kind === "timeout" ? "timeout" : "approved",
      actor,
      actionTaken: done.action,
      savedMonthlyUsd: done.savedMonthlyUsd,
      detail: done.detail,
      undoAvailable: done.undoAvailable,
      status: "acted",
    };
  }
  if (verdict?.verdict === "cancel") {
    return {
      ...none,
      outcome: "cancelled",
      actor,
      detail: verdict.reason,
      status: "open",
      quietForSeconds: 86_400,
    };
  }
  return {
    ...none,
    outcome: decision?.kind === "timeout" ? "timeout" : "skipped",
    actor,
    detail: verdict?.reason ?? "nothing to do",
    status: "open",
    quietForSeconds: graceSeconds,
  };
}
