/**
 * What the cleanup workflow remembers. Every write is conditional so a redelivered event,
 * a double click or a retried Lambda changes nothing twice.
 */
import type { Finding } from "../types.ts";

export type Decision =
  | { kind: "approve"; actor: string; at: string }
  | { kind: "snooze"; actor: string; at: string; days: number }
  | { kind: "keep"; actor: string; at: string; reason: string }
  | { kind: "timeout"; actor: "janitor"; at: string };

/** One workflow run for one finding (a finding gets a new cycle after a snooze expires). */
export interface WorkflowClaim {
  findingId: string;
  /**
   * Deterministic Step Functions execution name for this finding and cycle:
   * `<finding id, sanitized and shortened>-<hash of the finding id>-c<cycle>`. Not the raw
   * `<findingId>-c<cycle>`: finding ids hold ARNs (`:`, `/`, often over 80 characters),
   * which StartExecution rejects. See `executionNameFor` in `workflow-items.ts`.
   */
  executionName: string;
  cycle: number;
  /** The short id Slack buttons carry (never the task token). */
  decisionId: string;
  claimedAt: string;
  started: boolean;
}

export interface PendingDecision {
  decisionId: string;
  findingId: string;
  executionName: string;
  /** The Step Functions task token of the waiting Notify/Remind task. Never leaves the store. */
  taskToken: string;
  phase: "notice" | "reminder";
  /** Where the notice was posted (to update it later). */
  channel?: string;
  messageTs?: string;
  /** The reminder in the notice's thread (its buttons are disabled once someone decides). */
  reminderTs?: string;
  /** The owner's Slack user id, when resolved: allowed to decide. */
  ownerUserId?: string;
  deadline: string;
}

export interface UndoRecord {
  findingId: string;
  resourceArn: string;
  resourceType: string;
  action: "stop" | "delete" | "configure";
  savedAt: string;
  /** What is needed to recreate or restart the resource (e.g. endpoint config, variants, models, tags). */
  data: Record<string, unknown>;
  restoredAt?: string;
  restoredBy?: string;
}

export interface SavingEntry {
  findingId: string;
  at: string;
  action: "stop" | "delete" | "configure";
  monthlyUsd: number;
  resourceArn: string;
  decidedBy: string;
}

export interface WorkflowStore {
  /**
   * Claims the next workflow cycle for a finding that is `open` (or `snoozed` with `until`
   * in the past), unless a closed cycle left it quiet until after `now` (`quietUntil`).
   * Returns undefined when the finding is in flight, kept, decided, snoozed or quiet.
   * A claim made but not yet started (crash between claim and StartExecution) is returned
   * again with `started: false`, so the caller retries StartExecution with the same name.
   */
  claimWorkflow(findingId: string, now: Date): Promise<WorkflowClaim | undefined>;
  markWorkflowStarted(findingId: string, executionName: string): Promise<void>;
  /** Stores (or replaces, for the reminder) the token the waiting task will be completed with. */
  savePendingDecision(pending: PendingDecision): Promise<void>;
  getPendingDecision(decisionId: string): Promise<PendingDecision | undefined>;
  /**
   * The first decision wins: returns false when a decision was already recorded for this id
   * (a second click, or a click racing the timeout).
   */
  recordDecision(decisionId: string, decision: Decision): Promise<boolean>;
  getDecision(decisionId: string): Promise<Decision | undefined>;
  /**
   * Ends the cycle: the finding's status becomes the outcome (snoozed until, kept, acted,
   * cancelled, open; `failed` becomes open, so the next run may try again). Only the first
   * close of an execution counts: a second one writes nothing.
   */
  closeWorkflow(input: {
    findingId: string;
    executionName: string;
    status: "snoozed" | "kept" | "acted" | "cancelled" | "open" | "failed";
    at: Date;
    snoozedUntil?: Date;
    /**
     * No new cycle before this time, whatever the status: e.g. `open` after nobody answered
     * in notify mode (at + the grace period), so the next nightly scan does not nag again.
     */
    quietUntil?: Date;
    reason: string;
    actor: string;
  }): Promise<void>;
  /** Blast-radius cap: takes one destructive-action slot for the UTC day; false when the cap is reached. */
  takeActionSlot(day: string, cap: number, findingId: string): Promise<boolean>;
  saveUndo(record: UndoRecord): Promise<void>;
  getUndo(findingId: string): Promise<UndoRecord | undefined>;
  markRestored(findingId: string, by: string, at: Date): Promise<boolean>;
  recordSaving(entry: SavingEntry): Promise<boolean>;
  listSavings(): Promise<SavingEntry[]>;
}

/** What the state machine carries from step to step (the execution input plus results). */
export interface WorkflowInput {
  finding: Finding;
  policyName: string;
  decisionId: string;
  executionName: string;
  scanId: string;
  /** The account the scan ran in (S3 ARNs carry none). */
  accountId?: string;
  timing: { noticeSeconds: number; reminderSeconds: number; deadline: string; reminderAt: string };
  /**
   * Stricter terms because the resource's team or project passed a budget's `tighten`
   * threshold this month (shared/workflow/tightening.ts): already in `timing`'s grace period;
   * `timeoutAction` replaces the policy's `none`. Fixed at the start, as the notice states it.
   */
  tightening?: { budgets: string[]; until: string; gracePeriod?: string; timeoutAction?: "stop" };
}
