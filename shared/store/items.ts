import type { Finding } from "../types.ts";
import { TTL_ATTRIBUTE } from "./table-schema.ts";
import type { AuditEntry, FindingStatus, StatusChange, StoredFinding } from "./types.ts";

/**
 * Keys and item shapes of the janitor table (layout documented in `dynamo-store.ts`).
 * Every item carries `kind` so a reader of the raw table can tell them apart.
 */

/** Per-scan observations age out; the META item keeps the totals. */
export const OBSERVATION_TTL_DAYS = 400;

export const META_SK = "META";
export const AUDIT_GSI_PK = "AUDIT";

export const findingPk = (findingId: string): string => `FINDING#${findingId}`;
export const scanSk = (scanId: string): string => `SCAN#${scanId}`;
export const statusSk = (at: string, status: FindingStatus): string => `STATUS#${at}#${status}`;
export const auditSk = (auditId: string): string => `AUDIT#${auditId}`;
export const statusGsiPk = (status: FindingStatus): string => `STATUS#${status}`;
/** Sorting open findings by detector lets resolution read only the detectors that ran. */
export const statusGsiSk = (detector: string, findingId: string): string => `${detector}#${findingId}`;
export const detectorGsiPrefix = (detector: string): string => `${detector}#`;

export interface Key {
  pk: string;
  sk: string;
}

export const metaKey = (findingId: string): Key => ({ pk: findingPk(findingId), sk: META_SK });
export const observationKey = (findingId: string, scanId: string): Key => ({
  pk: findingPk(findingId),
  sk: scanSk(scanId),
});

export interface MetaItem extends Key {
  kind: "finding";
  findingId: string;
  detector: string;
  /** Snapshot from the most recent scan that reported it. */
  finding: Finding;
  status: FindingStatus;
  /** When `status` last changed. */
  statusAt: string;
  firstSeen: string;
  lastSeen: string;
  timesSeen: number;
  lastScanId: string;
  gsi1pk: string;
  gsi1sk: string;
  // Workflow state, written by claimWorkflow and closeWorkflow (workflow-writes.ts).
  /** The last cycle claimed; absent until the first claim. */
  cycle?: number;
  executionName?: string;
  decisionId?: string;
  claimedAt?: string;
  /** False between the claim and StartExecution: a claim found so was interrupted. */
  started?: boolean;
  /** Status `snoozed`: claimable again from then. */
  snoozedUntil?: string;
  /** Status `open` after a cycle ended without action: not claimable before then. */
  quietUntil?: string;
  /** Status `kept`: the exemption, who granted it and why. */
  keptBy?: string;
  keptReason?: string;
}

export interface ObservationItem extends Key {
  kind: "observation";
  findingId: string;
  scanId: string;
  at: string;
  monthlyCostUsd: number;
  [TTL_ATTRIBUTE]: number;
}

export interface StatusItem extends Key {
  kind: "status";
  findingId: string;
  at: string;
  status: FindingStatus;
  reason: string;
}

export interface AuditItem extends Key, AuditEntry {
  kind: "audit";
  gsi2pk: string;
  gsi2sk: string;
}

/**
 * A deep copy without `undefined` (DynamoDB cannot store it and the caller's document
 * client may not be configured to drop it) and with Dates as ISO strings.
 */
export function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function newMetaItem(finding: Finding, scanId: string, at: string): MetaItem {
  return {
    ...metaKey(finding.id),
    kind: "finding",
    findingId: finding.id,
    detector: finding.detector,
    finding: plain(finding),
    status: "open",
    statusAt: at,
    firstSeen: at,
    lastSeen: at,
    timesSeen: 1,
    lastScanId: scanId,
    gsi1pk: statusGsiPk("open"),
    gsi1sk: statusGsiSk(finding.detector, finding.id),
  };
}

export function observationItem(finding: Finding, scanId: string, at: string): ObservationItem {
  const expiresAt = Math.floor(Date.parse(at) / 1000) + OBSERVATION_TTL_DAYS * 86_400;
  return {
    ...observationKey(finding.id, scanId),
    kind: "observation",
    findingId: finding.id,
    scanId,
    at,
    monthlyCostUsd: finding.monthlyCostUsd,
    [TTL_ATTRIBUTE]: expiresAt,
  };
}

export function statusItem(change: StatusChange): StatusItem {
  return {
    pk: findingPk(change.findingId),
    sk: statusSk(change.at, change.status),
    kind: "status",
    ...change,
  };
}

/**
 * Audit entries about a finding live in its partition (so its history is one Query);
 * the others get a partition of their own. Either way the key derives from the id alone
 * (plus the finding id, which a deterministic audit id implies), which is what makes the
 * conditional put a dedup.
 */
export function auditKey(entry: Pick<AuditEntry, "id" | "findingId">): Key {
  return {
    pk: entry.findingId === undefined ? `AUDIT#${entry.id}` : findingPk(entry.findingId),
    sk: auditSk(entry.id),
  };
}

export function auditItem(entry: AuditEntry): AuditItem {
  return {
    ...auditKey(entry),
    kind: "audit",
    ...plain(entry),
    gsi2pk: AUDIT_GSI_PK,
    gsi2sk: `${entry.at}#${entry.id}`,
  };
}

export function toStoredFinding(item: MetaItem): StoredFinding {
  const stored: StoredFinding = {
    finding: item.finding,
    status: item.status,
    firstSeen: item.firstSeen,
    lastSeen: item.lastSeen,
    timesSeen: item.timesSeen,
  };
  if (item.cycle !== undefined) stored.cycle = item.cycle;
  if (item.executionName !== undefined) stored.executionName = item.executionName;
  if (item.decisionId !== undefined) stored.decisionId = item.decisionId;
  if (item.snoozedUntil !== undefined) stored.snoozedUntil = item.snoozedUntil;
  if (item.quietUntil !== undefined) stored.quietUntil = item.quietUntil;
  if (item.keptBy !== undefined) stored.keptBy = item.keptBy;
  if (item.keptReason !== undefined) stored.keptReason = item.keptReason;
  return stored;
}

export function toStatusChange(item: StatusItem): StatusChange {
  return { findingId: item.findingId, at: item.at, status: item.status, reason: item.reason };
}

export function toAuditEntry(item: AuditItem): AuditEntry {
  const entry: AuditEntry = {
    id: item.id,
    at: item.at,
    actor: item.actor,
    action: item.action,
    reason: item.reason,
  };
  if (item.findingId !== undefined) entry.findingId = item.findingId;
  if (item.resourceArn !== undefined) entry.resourceArn = item.resourceArn;
  if (item.evidence !== undefined) entry.evidence = item.evidence;
  return entry;
}
