/** What the Block Kit builders take and give. */
import type { KnownBlock } from "@slack/types";
import type { Finding } from "../../types.ts";

/** A message ready for chat.postMessage / chat.update: `text` is the notification and screen-reader fallback. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export interface NoticeInput {
  finding: Finding;
  policyName: string;
  mode: "notify" | "enforce";
  timeoutAction: "none" | "stop" | "delete" | "configure";
  /** Short id (≤ 64 chars, [A-Za-z0-9._-]): the ONLY thing button values carry. */
  decisionId: string;
  deadline: Date;
  now: Date;
  /** Snooze choices in days, e.g. [1, 7, 30]; 7 (the default) is listed first when present. */
  snoozeDays: number[];
  consoleUrl: string;
  /** "<@U123>" when the owner's Slack user is known. */
  ownerMention?: string;
  /** Why the timeout action won't run, e.g. "tagged environment=production". */
  protectedFromTimeout?: string;
  /** The protect tag named in "how to stop it"; defaults to `janitor:protect`. */
  protectTag?: string;
  /** Why the terms are stricter than the policy's: a budget's tightening, in words. */
  tightened?: string;
}

export type Outcome =
  | "approved"
  | "snoozed"
  | "kept"
  | "timeout"
  | "cancelled"
  | "failed"
  | "restored"
  | "skipped";

export interface OutcomeInput {
  finding: Finding;
  outcome: Outcome;
  /** A Slack user id ("U123") or "janitor". */
  actor?: string;
  actionTaken?: "stop" | "delete" | "configure" | "none";
  savedMonthlyUsd?: number;
  snoozedUntil?: Date;
  /** The keeper's reason (free text from the modal; escaped here). */
  reason?: string;
  /** What happened in a sentence: the failure, the activity that cancelled the action, why it was skipped. */
  detail?: string;
  decisionId: string;
  /** A deleted resource can be recreated from its undo record: offer the Restore button. */
  undoAvailable?: boolean;
}

export interface OpsFailureInput {
  executionName: string;
  findingId?: string;
  /** Step Functions `Error` (e.g. `SlackApiError`, `States.Timeout`). */
  error: string;
  /** Step Functions `Cause`: often a JSON string `{"errorType","errorMessage",…}` from a Lambda. */
  cause?: string;
}
