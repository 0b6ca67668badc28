import { createHash } from "node:crypto";
import { findingPk, type Key, type MetaItem, plain } from "./items.ts";
import { TTL_ATTRIBUTE } from "./table-schema.ts";
import type { Decision, PendingDecision, SavingEntry, UndoRecord, WorkflowClaim } from "./workflow-types.ts";

/**
 * Keys and item shapes of the workflow's items (layout documented in `dynamo-store.ts`).
 * A claim's state lives on the finding's META item; see `workflow-writes.ts`.
 */

/** A pending decision's token is useless once its task ended; the item goes some time after. */
export const PENDING_TTL_DAYS = 30;
/** Step Functions: 1 to 80 characters, none of whitespace, brackets, `?*"#%\^|~`$&,;:/`. */
export const MAX_EXECUTION_NAME = 80;

export const PENDING_SK = "PENDING";
export const DECISION_SK = "DECISION";
export const UNDO_SK = "UNDO";
export const CAP_SK = "CAP";
export const SAVINGS_PK = "SAVINGS";

export const decisionPk = (decisionId: string): string => `DECISION#${decisionId}`;
export const pendingKey = (decisionId: string): Key => ({ pk: decisionPk(decisionId), sk: PENDING_SK });
export const decisionKey = (decisionId: string): Key => ({ pk: decisionPk(decisionId), sk: DECISION_SK });
export const undoKey = (findingId: string): Key => ({ pk: findingPk(findingId), sk: UNDO_SK });
export const capKey = (day: string): Key => ({ pk: `CAP#${day}`, sk: CAP_SK });
export const savingKey = (entry: Pick<SavingEntry, "at" | "findingId" | "action">): Key => ({
  pk: SAVINGS_PK,
  sk: `${entry.at}#${entry.findingId}#${entry.action}`,
});

export const claimedAuditId = (executionName: string): string => `workflow:${executionName}:claimed`;
export const closedAuditId = (executionName: string): string => `workflow:${executionName}:closed`;
export const decisionAuditId = (decisionId: string): string => `decision:${decisionId}`;

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

/**
 * The Step Functions execution name of a finding's cycle: `<readable finding id>-<hash>-c<cycle>`.
 * Finding ids hold ARNs (`:` and `/`, often past 80 characters), which execution names may
 * not, so the readable part is the id with every run of other characters made a `-`, cut
 * in the middle to fit (its start names the detector, its end the resource); the hash of
 * the whole id keeps two ids that read alike apart. Deterministic: a retried StartExecution
 * uses the same name, which is what makes it idempotent.
 */
export function executionNameFor(findingId: string, cycle: number): string {
  const suffix = `-${sha256(findingId).slice(0, 10)}-c${cycle}`;
  const readable = findingId.replace(/[^A-Za-z0-9_-]+/g, "-");
  const room = MAX_EXECUTION_NAME - suffix.length;
  if (readable.length <= room) return `${readable}${suffix}`;
  const head = Math.floor((room - 1) / 2);
  return `${readable.slice(0, head)}-${readable.slice(readable.length - (room - 1 - head))}${suffix}`;
}

/** The short id Slack buttons carry: it names the cycle and says nothing about the token. */
export const decisionIdFor = (executionName: string): string => `d-${sha256(executionName).slice(0, 16)}`;

/** The claim a META item holds, if it holds one. */
export function claimOf(meta: MetaItem): WorkflowClaim | undefined {
  const { cycle, executionName, decisionId, claimedAt, started } = meta;
  if (
    cycle === undefined ||
    executionName === undefined ||
    decisionId === undefined ||
    claimedAt === undefined
  ) {
    return undefined;
  }
  return {
    findingId: meta.findingId,
    executionName,
    cycle,
    decisionId,
    claimedAt,
    started: started === true,
  };
}

export interface PendingItem extends Key, PendingDecision {
  kind: "pending";
  [TTL_ATTRIBUTE]: number;
}

export interface DecisionItem extends Key {
  kind: "decision";
  decisionId: string;
  /** Absent when the decision came for an id with no pending decision stored. */
  findingId?: string;
  executionName?: string;
  decision: Decision;
}

export interface UndoItem extends Key, UndoRecord {
  kind: "undo";
}

export interface SavingItem extends Key, SavingEntry {
  kind: "saving";
}

export function pendingExpiry(deadline: string): number {
  return Math.floor(Date.parse(deadline) / 1000) + PENDING_TTL_DAYS * 86_400;
}

export function toPendingDecision(item: PendingItem): PendingDecision {
  const pending: PendingDecision = {
    decisionId: item.decisionId,
    findingId: item.findingId,
    executionName: item.executionName,
    taskToken: item.taskToken,
    phase: item.phase,
    deadline: item.deadline,
  };
  if (item.channel !== undefined) pending.channel = item.channel;
  if (item.messageTs !== undefined) pending.messageTs = item.messageTs;
  if (item.reminderTs !== undefined) pending.reminderTs = item.reminderTs;
  if (item.ownerUserId !== undefined) pending.ownerUserId = item.ownerUserId;
  return pending;
}

export function undoItem(record: UndoRecord): UndoItem {
  return { ...undoKey(record.findingId), kind: "undo", ...plain(record) };
}

export function toUndoRecord(item: UndoItem): UndoRecord {
  const record: UndoRecord = {
    findingId: item.findingId,
    resourceArn: item.resourceArn,
    resourceType: item.resourceType,
    action: item.action,
    savedAt: item.savedAt,
    data: item.data,
  };
  if (item.restoredAt !== undefined) record.restoredAt = item.restoredAt;
  if (item.restoredBy !== undefined) record.restoredBy = item.restoredBy;
  return record;
}

export function savingItem(entry: SavingEntry): SavingItem {
  return { ...savingKey(entry), kind: "saving", ...plain(entry) };
}

export function toSavingEntry(item: SavingItem): SavingEntry {
  return {
    findingId: item.findingId,
    at: item.at,
    action: item.action,
    monthlyUsd: item.monthlyUsd,
    resourceArn: item.resourceArn,
    decidedBy: item.decidedBy,
  };
}

/** How a decision reads in the audit log. */
export function decisionReason(decision: Decision): string {
  switch (decision.kind) {
    case "approve":
      return "approved";
    case "snooze":
      return `snoozed for ${decision.days} days`;
    case "keep":
      return decision.reason;
    case "timeout":
      return "no answer by the deadline";
  }
}
