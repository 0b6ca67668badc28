import type { NativeAttributeValue, TransactWriteItem } from "@aws-sdk/lib-dynamodb";
import type { Finding } from "../types.ts";
import {
  auditItem,
  type MetaItem,
  metaKey,
  newMetaItem,
  observationItem,
  plain,
  statusGsiPk,
  statusItem,
} from "./items.ts";
import type { AuditEntry, FindingStatus } from "./types.ts";

/**
 * The transactions `recordScan` sends, as pure functions of what was read. Every plan puts
 * the item whose condition means "someone did this already" first, so a cancellation's
 * first reason tells the caller whether to stop (done before) or re-read and retry.
 */

const NOT_THERE = "attribute_not_exists(pk)";

/** Item 0 of an observation plan: the per-scan marker. Its condition failing = a rerun. */
export const OBSERVATION_ITEM = 0;
/** Item 1 of an observation plan: the META item, conditional on the state that was read. */
export const META_ITEM = 1;

export type ObservationOutcome = "opened" | "seenAgain" | "reopened";

export interface WritePlan<O> {
  outcome: O;
  items: TransactWriteItem[];
}

export const openedAuditId = (scanId: string, findingId: string): string =>
  `scan:${scanId}:opened:${findingId}`;
export const reopenedAuditId = (scanId: string, findingId: string): string =>
  `scan:${scanId}:reopened:${findingId}`;
export const resolvedAuditId = (scanId: string, findingId: string): string =>
  `scan:${scanId}:resolved:${findingId}`;

function put(tableName: string, item: object): TransactWriteItem {
  return { Put: { TableName: tableName, Item: { ...item }, ConditionExpression: NOT_THERE } };
}

function findingAudit(id: string, action: string, finding: Finding, at: string): AuditEntry {
  return {
    id,
    at,
    actor: "janitor",
    action,
    findingId: finding.id,
    resourceArn: finding.resource.arn,
    reason: finding.reason,
    evidence: finding.evidence,
  };
}

/**
 * Statuses a later report reopens: the finding went away (resolved), or its workflow cycle
 * ended with the resource acted on or found active (acted, cancelled), and a scan sees it
 * wasteful again, e.g. a stopped notebook restarted and left idle. Without this they would
 * never be claimed again. A `quietUntil` the cycle left still holds after the reopen.
 */
const REOPENABLE: ReadonlySet<FindingStatus> = new Set(["resolved", "acted", "cancelled"]);

/**
 * What to write for one finding reported by one scan, given its META item as read
 * (`undefined`: never seen). A finding the scan reports again after it was resolved (or
 * acted on, or cancelled) is reopened, unless that status change is later than this scan
 * (a late delivery).
 */
export function planObservation(input: {
  tableName: string;
  finding: Finding;
  scanId: string;
  at: string;
  meta: MetaItem | undefined;
}): WritePlan<ObservationOutcome> {
  const { tableName, finding, scanId, at, meta } = input;
  const observation = put(tableName, observationItem(finding, scanId, at));

  if (meta === undefined) {
    return {
      outcome: "opened",
      items: [
        observation,
        put(tableName, newMetaItem(finding, scanId, at)),
        put(
          tableName,
          statusItem({ findingId: finding.id, at, status: "open", reason: `reported by scan ${scanId}` }),
        ),
        put(
          tableName,
          auditItem(findingAudit(openedAuditId(scanId, finding.id), "finding.opened", finding, at)),
        ),
      ],
    };
  }

  // A scan older than the last one to see it (redelivered late) only counts; it must not
  // roll the snapshot or lastSeen back.
  const newer = meta.lastSeen < at;
  const reopen = REOPENABLE.has(meta.status) && meta.statusAt < at;
  const sets: string[] = [];
  const names: Record<string, string> = { "#status": "status", "#lastSeen": "lastSeen" };
  const values: Record<string, NativeAttributeValue> = {
    ":one": 1,
    ":readLastSeen": meta.lastSeen,
    ":readStatus": meta.status,
  };
  if (newer || reopen || at < meta.firstSeen) values[":at"] = at;
  if (newer) {
    sets.push("finding = :finding", "#lastSeen = :at", "lastScanId = :scanId");
    values[":finding"] = plain(finding);
    values[":scanId"] = scanId;
  }
  if (at < meta.firstSeen) sets.push("firstSeen = :at");
  if (reopen) {
    sets.push("#status = :open", "statusAt = :at", "gsi1pk = :openGsi");
    values[":open"] = "open";
    values[":openGsi"] = statusGsiPk("open");
  }
  const update: TransactWriteItem = {
    Update: {
      TableName: tableName,
      Key: metaKey(finding.id),
      UpdateExpression: `${sets.length > 0 ? `SET ${sets.join(", ")} ` : ""}ADD timesSeen :one`,
      // Optimistic: the plan was made from this state; if it moved, re-read and re-plan.
      ConditionExpression: "#lastSeen = :readLastSeen AND #status = :readStatus",
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
  if (!reopen) return { outcome: "seenAgain", items: [observation, update] };
  return {
    outcome: "reopened",
    items: [
      observation,
      update,
      put(
        tableName,
        statusItem({ findingId: finding.id, at, status: "open", reason: `reported again by scan ${scanId}` }),
      ),
      put(
        tableName,
        auditItem(findingAudit(reopenedAuditId(scanId, finding.id), "finding.reopened", finding, at)),
      ),
    ],
  };
}

/**
 * Resolves an open finding that a scan of its detector no longer reports. The META
 * condition makes it happen once, and never for a finding seen at or after this scan's
 * time (so a rerun, or a late older scan, resolves nothing it should not).
 */
export function planResolution(input: {
  tableName: string;
  findingId: string;
  detector: string;
  resourceArn: string | undefined;
  scanId: string;
  at: string;
}): TransactWriteItem[] {
  const { tableName, findingId, detector, resourceArn, scanId, at } = input;
  const reason = `no longer reported by ${detector} in scan ${scanId}`;
  const audit: AuditEntry = {
    id: resolvedAuditId(scanId, findingId),
    at,
    actor: "janitor",
    action: "finding.resolved",
    findingId,
    reason,
    evidence: { scanId, detector },
  };
  if (resourceArn !== undefined) audit.resourceArn = resourceArn;
  return [
    {
      Update: {
        TableName: tableName,
        Key: metaKey(findingId),
        UpdateExpression: "SET #status = :resolved, statusAt = :at, gsi1pk = :resolvedGsi",
        ConditionExpression: "#status = :open AND lastSeen < :at",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":resolved": "resolved",
          ":open": "open",
          ":at": at,
          ":resolvedGsi": statusGsiPk("resolved"),
        },
      },
    },
    put(tableName, statusItem({ findingId, at, status: "resolved", reason })),
    put(tableName, auditItem(audit)),
  ];
}
