import type { DynamoDBDocumentClient, NativeAttributeValue, TransactWriteItem } from "@aws-sdk/lib-dynamodb";
import { StoreError } from "../errors.ts";
import { backoff, CONDITION_FAILED, CONFLICT, DynamoTable, MAX_ATTEMPTS } from "./dynamo-table.ts";
import { auditItem, type MetaItem, metaKey, plain } from "./items.ts";
import type { AuditEntry } from "./types.ts";
import {
  capKey,
  claimOf,
  type DecisionItem,
  decisionAuditId,
  decisionKey,
  decisionReason,
  type PendingItem,
  pendingExpiry,
  pendingKey,
  SAVINGS_PK,
  type SavingItem,
  savingItem,
  toPendingDecision,
  toSavingEntry,
  toUndoRecord,
  type UndoItem,
  undoItem,
  undoKey,
} from "./workflow-items.ts";
import type {
  Decision,
  PendingDecision,
  SavingEntry,
  UndoRecord,
  WorkflowClaim,
  WorkflowStore,
} from "./workflow-types.ts";
import { type CloseInput, claimable, planClaim, planClose } from "./workflow-writes.ts";

/**
 * The workflow's verbs over the janitor table (layout in `dynamo-store.ts`). `DynamoStore`
 * exposes them; this class keeps them in one place. Every write is conditional or
 * idempotent by construction, so a retried Lambda or a second click changes nothing twice.
 */
export class DynamoWorkflowStore implements WorkflowStore {
  readonly #db: DynamoTable;

  constructor({ client, tableName }: { client: DynamoDBDocumentClient; tableName: string }) {
    this.#db = new DynamoTable(client, tableName);
  }

  /**
   * One consistent read; then, for a claimable finding, one transaction (META update,
   * status change, `workflow.claimed` audit entry). An interrupted claim is returned as it
   * was, with no write. Note that a caller racing the winner's commit may also read that
   * claim back as interrupted: the deterministic execution name is what keeps that to one
   * execution (StartExecution with a name in use starts nothing).
   */
  async claimWorkflow(findingId: string, now: Date): Promise<WorkflowClaim | undefined> {
    const at = now.toISOString();
    const what = `claim a workflow cycle for ${findingId}`;
    for (let attempt = 1; ; attempt++) {
      const meta = await this.#meta(findingId);
      if (meta === undefined) return undefined;
      if (meta.status === "notified") {
        // After a conflict, a claim found here is someone else's, not an interrupted one of ours.
        const claim = attempt === 1 ? claimOf(meta) : undefined;
        return claim?.started === false ? claim : undefined;
      }
      if (!claimable(meta, at)) return undefined;
      const plan = planClaim({ tableName: this.#db.name, meta, now: at });
      const reasons = await this.#db.transact(what, plan.items);
      if (reasons === undefined) return plan.claim;
      // The status or cycle moved since the read: another claim (or a scan) got there first.
      if (reasons[0] === CONDITION_FAILED) return undefined;
      await this.#retryOrThrow(what, reasons, attempt);
    }
  }

  /** One conditional update. A stale call (the finding has moved to another cycle) changes nothing. */
  async markWorkflowStarted(findingId: string, executionName: string): Promise<void> {
    await this.#db.update(`mark ${executionName} started`, {
      Key: metaKey(findingId),
      UpdateExpression: "SET started = :true",
      ConditionExpression: "executionName = :executionName",
      ExpressionAttributeValues: { ":true": true, ":executionName": executionName },
    });
  }

  /**
   * One update. The reminder's token replaces the notice's; fields the reminder leaves out
   * (channel, message, owner) keep the notice's values. A notice redelivered after the
   * reminder was saved changes nothing: its token belongs to a task that has ended.
   */
  async savePendingDecision(pending: PendingDecision): Promise<void> {
    const fields: Record<string, NativeAttributeValue> = {
      ...plain(pending),
      kind: "pending",
      expiresAt: pendingExpiry(pending.deadline),
    };
    const names = Object.keys(fields);
    const values: Record<string, NativeAttributeValue> = {};
    for (const name of names) values[`:${name}`] = fields[name];
    await this.#db.update(`save the pending decision ${pending.decisionId}`, {
      Key: pendingKey(pending.decisionId),
      UpdateExpression: `SET ${names.map((name) => `#${name} = :${name}`).join(", ")}`,
      // A notice replaces nothing but a notice (the same one, delivered again).
      ...(pending.phase === "notice"
        ? { ConditionExpression: "attribute_not_exists(pk) OR #phase = :phase" }
        : {}),
      ExpressionAttributeNames: Object.fromEntries(names.map((name) => [`#${name}`, name])),
      ExpressionAttributeValues: values,
    });
  }

  /** The only way the task token leaves the store. */
  async getPendingDecision(decisionId: string): Promise<PendingDecision | undefined> {
    const item = await this.#db.get(`read the pending decision ${decisionId}`, pendingKey(decisionId));
    return item === undefined ? undefined : toPendingDecision(item as PendingItem);
  }

  /**
   * One read (the pending decision, for the finding the audit entry belongs to) and one
   * transaction of two conditional puts: the decision and its `decision.<kind>` audit entry.
   */
  async recordDecision(decisionId: string, decision: Decision): Promise<boolean> {
    const pending = (await this.#db.get(`read the pending decision ${decisionId}`, pendingKey(decisionId))) as
      | PendingItem
      | undefined;
    const item: DecisionItem = {
      ...decisionKey(decisionId),
      kind: "decision",
      decisionId,
      decision: plain(decision),
    };
    const audit: AuditEntry = {
      id: decisionAuditId(decisionId),
      at: decision.at,
      actor: decision.actor,
      action: `decision.${decision.kind}`,
      reason: decisionReason(decision),
      evidence: { decisionId, ...(decision.kind === "snooze" ? { days: decision.days } : {}) },
    };
    if (pending !== undefined) {
      item.findingId = pending.findingId;
      audit.findingId = pending.findingId;
      item.executionName = pending.executionName;
      audit.evidence = { ...audit.evidence, executionName: pending.executionName };
    }
    const items = [item, auditItem(audit)].map(
      (put): TransactWriteItem => ({
        Put: { TableName: this.#db.name, Item: put, ConditionExpression: "attribute_not_exists(pk)" },
      }),
    );
    const what = `record the decision ${decisionId}`;
    for (let attempt = 1; ; attempt++) {
      const reasons = await this.#db.transact(what, items);
      if (reasons === undefined) return true;
      if (reasons[0] === CONDITION_FAILED) return false;
      await this.#retryOrThrow(what, reasons, attempt);
    }
  }

  async getDecision(decisionId: string): Promise<Decision | undefined> {
    const item = await this.#db.get(`read the decision ${decisionId}`, decisionKey(decisionId));
    return (item as DecisionItem | undefined)?.decision;
  }

  /**
   * One consistent read; then, if the finding is still notified for this execution, one
   * transaction (META update, status change, `workflow.closed` audit entry). A second close,
   * or a stale one for an older cycle, writes nothing.
   */
  async closeWorkflow(close: CloseInput): Promise<void> {
    const what = `close workflow ${close.executionName}`;
    for (let attempt = 1; ; attempt++) {
      const meta = await this.#meta(close.findingId);
      if (meta === undefined) throw new StoreError(`${what}: no finding ${close.findingId}`);
      if (meta.status !== "notified" || meta.executionName !== close.executionName) return;
      const items = planClose({ tableName: this.#db.name, close, resourceArn: meta.finding.resource?.arn });
      const reasons = await this.#db.transact(what, items);
      if (reasons === undefined || reasons[0] === CONDITION_FAILED) return;
      await this.#retryOrThrow(what, reasons, attempt);
    }
  }

  /**
   * One conditional update of the day's counter: adds the finding to the day's set if it
   * is already there (a retry: no new slot) or the set is smaller than the cap.
   */
  async takeActionSlot(day: string, cap: number, findingId: string): Promise<boolean> {
    if (cap <= 0) return false;
    return this.#db.update(`take an action slot of ${day} for ${findingId}`, {
      Key: capKey(day),
      UpdateExpression: "SET kind = :kind, #day = :day ADD findingIds :finding",
      ConditionExpression:
        "attribute_not_exists(findingIds) OR contains(findingIds, :findingId) OR size(findingIds) < :cap",
      ExpressionAttributeNames: { "#day": "day" },
      ExpressionAttributeValues: {
        ":kind": "cap",
        ":day": day,
        ":finding": new Set([findingId]),
        ":findingId": findingId,
        ":cap": cap,
      },
    });
  }

  /** One put. Replaces an earlier record: a later cycle that acts again needs its own way back. */
  async saveUndo(record: UndoRecord): Promise<void> {
    await this.#db.put(`save the undo record of ${record.findingId}`, undoItem(record), null);
  }

  async getUndo(findingId: string): Promise<UndoRecord | undefined> {
    const item = await this.#db.get(`read the undo record of ${findingId}`, undoKey(findingId));
    return item === undefined ? undefined : toUndoRecord(item as UndoItem);
  }

  /** One conditional update: false when there is no record, or it was restored already. */
  markRestored(findingId: string, by: string, at: Date): Promise<boolean> {
    return this.#db.update(`mark ${findingId} restored`, {
      Key: undoKey(findingId),
      UpdateExpression: "SET restoredAt = :at, restoredBy = :by",
      ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(restoredAt)",
      ExpressionAttributeValues: { ":at": at.toISOString(), ":by": by },
    });
  }

  /**
   * One conditional put keyed by time, finding and action: false when that entry exists.
   * `at` must be the same on a retry (e.g. the time the action was recorded, not `now`).
   */
  recordSaving(entry: SavingEntry): Promise<boolean> {
    return this.#db.put(`record the saving of ${entry.findingId}`, savingItem(entry));
  }

  /** Oldest first. One partition: fine for the few actions a day this service takes. */
  async listSavings(): Promise<SavingEntry[]> {
    const items = await this.#db.queryAll("list savings", {
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": SAVINGS_PK },
      ConsistentRead: true,
    });
    return items.map((item) => toSavingEntry(item as SavingItem));
  }

  async #meta(findingId: string): Promise<MetaItem | undefined> {
    return (await this.#db.get(`read finding ${findingId}`, metaKey(findingId))) as MetaItem | undefined;
  }

  /** Waits before another attempt after a transaction conflict; any other cancellation is an error. */
  async #retryOrThrow(what: string, reasons: string[], attempt: number): Promise<void> {
    if (!reasons.includes(CONFLICT) || attempt >= MAX_ATTEMPTS) {
      throw new StoreError(`${what}: transaction cancelled (${reasons.join(", ")})`);
    }
    await backoff(attempt);
  }
}
