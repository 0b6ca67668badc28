import type { NativeAttributeValue, TransactWriteItem } from "@aws-sdk/lib-dynamodb";
import { StoreError } from "../errors.ts";
import { auditItem, type MetaItem, metaKey, statusGsiPk, statusItem } from "./items.ts";
import type { AuditEntry, FindingStatus } from "./types.ts";
import { claimedAuditId, closedAuditId, decisionIdFor, executionNameFor } from "./workflow-items.ts";
import type { WorkflowClaim, WorkflowStore } from "./workflow-types.ts";

/**
 * The transactions that start and end a workflow cycle, as pure functions of the META item
 * that was read. Item 0 is always the META update, whose condition is the optimistic check
 * on what was read: if it fails, someone else claimed (or closed) first.
 */

const NOT_THERE = "attribute_not_exists(pk)";

export type CloseInput = Parameters<WorkflowStore["closeWorkflow"]>[0];

function put(tableName: string, item: object): TransactWriteItem {
  return { Put: { TableName: tableName, Item: { ...item }, ConditionExpression: NOT_THERE } };
}

/**
 * May a new cycle start? Open, or snoozed until no later than `now`; either way not inside
 * a quiet period. Kept (an exemption), notified (in flight), acted, cancelled and resolved
 * may not: a scan reopens the last three when it reports them again.
 */
export function claimable(meta: MetaItem, now: string): boolean {
  if (meta.quietUntil !== undefined && meta.quietUntil > now) return false;
  if (meta.status === "open") return true;
  // A snooze without an end cannot be honoured; notifying again is the harmless reading.
  return meta.status === "snoozed" && (meta.snoozedUntil === undefined || meta.snoozedUntil <= now);
}

/**
 * Claims cycle `cycle + 1`: the finding becomes `notified`, with the execution name and
 * decision id derived from the cycle. Conditional on the status and cycle that were read,
 * so of two concurrent claims one wins, and a claim planned before a whole cycle ran (and
 * the finding became open again) cannot reuse that cycle's name.
 */
export function planClaim(input: { tableName: string; meta: MetaItem; now: string }): {
  claim: WorkflowClaim;
  items: TransactWriteItem[];
} {
  const { tableName, meta, now } = input;
  const readCycle = meta.cycle ?? 0;
  const cycle = readCycle + 1;
  const executionName = executionNameFor(meta.findingId, cycle);
  const claim: WorkflowClaim = {
    findingId: meta.findingId,
    executionName,
    cycle,
    decisionId: decisionIdFor(executionName),
    claimedAt: now,
    started: false,
  };
  const values: Record<string, NativeAttributeValue> = {
    ":notified": "notified",
    ":now": now,
    ":notifiedGsi": statusGsiPk("notified"),
    ":cycle": cycle,
    ":executionName": executionName,
    ":decisionId": claim.decisionId,
    ":false": false,
    ":readStatus": meta.status,
  };
  if (readCycle > 0) values[":readCycle"] = readCycle;
  const audit: AuditEntry = {
    id: claimedAuditId(executionName),
    at: now,
    actor: "janitor",
    action: "workflow.claimed",
    findingId: meta.findingId,
    reason: `cycle ${cycle} claimed from status ${meta.status}`,
    evidence: { executionName, cycle, decisionId: claim.decisionId },
  };
  if (meta.finding.resource?.arn !== undefined) audit.resourceArn = meta.finding.resource.arn;
  return {
    claim,
    items: [
      {
        Update: {
          TableName: tableName,
          Key: metaKey(meta.findingId),
          UpdateExpression:
            "SET #status = :notified, statusAt = :now, gsi1pk = :notifiedGsi, #cycle = :cycle, " +
            "executionName = :executionName, decisionId = :decisionId, claimedAt = :now, started = :false " +
            "REMOVE snoozedUntil, quietUntil",
          ConditionExpression:
            readCycle > 0
              ? "#status = :readStatus AND #cycle = :readCycle"
              : "#status = :readStatus AND attribute_not_exists(#cycle)",
          ExpressionAttributeNames: { "#status": "status", "#cycle": "cycle" },
          ExpressionAttributeValues: values,
        },
      },
      put(
        tableName,
        statusItem({
          findingId: meta.findingId,
          at: now,
          status: "notified",
          reason: `workflow ${executionName} claimed`,
        }),
      ),
      put(tableName, auditItem(audit)),
    ],
  };
}

/**
 * Ends the cycle `executionName` of a notified finding: the status becomes the outcome
 * (`failed` becomes `open`, so the next scan may try again). Conditional on the finding
 * still being notified for this very execution, so a second close writes nothing.
 */
export function planClose(input: {
  tableName: string;
  close: CloseInput;
  resourceArn: string | undefined;
}): TransactWriteItem[] {
  const { tableName, close, resourceArn } = input;
  const at = close.at.toISOString();
  const status: FindingStatus = close.status === "failed" ? "open" : close.status;
  const sets = ["#status = :status", "statusAt = :at", "gsi1pk = :gsi"];
  const removes: string[] = [];
  const values: Record<string, NativeAttributeValue> = {
    ":status": status,
    ":at": at,
    ":gsi": statusGsiPk(status),
    ":notified": "notified",
    ":executionName": close.executionName,
  };
  const evidence: Record<string, unknown> = { executionName: close.executionName, outcome: close.status };
  if (close.status === "snoozed") {
    if (close.snoozedUntil === undefined) {
      throw new StoreError(`close workflow ${close.executionName}: a snooze needs snoozedUntil`);
    }
    const until = close.snoozedUntil.toISOString();
    sets.push("snoozedUntil = :snoozedUntil");
    values[":snoozedUntil"] = until;
    evidence.snoozedUntil = until;
  } else {
    removes.push("snoozedUntil");
  }
  if (close.quietUntil !== undefined) {
    const until = close.quietUntil.toISOString();
    sets.push("quietUntil = :quietUntil");
    values[":quietUntil"] = until;
    evidence.quietUntil = until;
  } else {
    removes.push("quietUntil");
  }
  if (close.status === "kept") {
    sets.push("keptBy = :actor", "keptReason = :reason");
    values[":actor"] = close.actor;
    values[":reason"] = close.reason;
  }
  const audit: AuditEntry = {
    id: closedAuditId(close.executionName),
    at,
    actor: close.actor,
    action: "workflow.closed",
    findingId: close.findingId,
    reason: close.reason,
    evidence,
  };
  if (resourceArn !== undefined) audit.resourceArn = resourceArn;
  const reason = close.status === "failed" ? `workflow failed: ${close.reason}` : close.reason;
  return [
    {
      Update: {
        TableName: tableName,
        Key: metaKey(close.findingId),
        UpdateExpression: `SET ${sets.join(", ")}${removes.length > 0 ? ` REMOVE ${removes.join(", ")}` : ""}`,
        ConditionExpression: "#status = :notified AND executionName = :executionName",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: values,
      },
    },
    put(tableName, statusItem({ findingId: close.findingId, at, status, reason })),
    put(tableName, auditItem(audit)),
  ];
}
