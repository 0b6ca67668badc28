import type { Finding } from "../types.ts";

/**
 * Where a finding stands. Scans move findings between `open` and `resolved`; the workflow
 * claims an open one (`notified`: a cycle is in flight) and closes the cycle with its
 * outcome: `snoozed` (until a date), `kept` (an exemption: never claimed again), `acted`
 * (stopped or deleted), `cancelled` (the re-check found activity), or `open` again (no
 * action; possibly quiet for a while). A later scan that reports an `acted` or `cancelled`
 * finding again reopens it, as it does a `resolved` one.
 */
export type FindingStatus = "open" | "resolved" | "notified" | "snoozed" | "kept" | "acted" | "cancelled";

export interface StoredFinding {
  finding: Finding;
  status: FindingStatus;
  firstSeen: string;
  lastSeen: string;
  /** How many distinct scans have seen it. */
  timesSeen: number;
  /** The last workflow cycle claimed (absent before the first). */
  cycle?: number;
  /** That cycle's Step Functions execution name and the short id its Slack buttons carry. */
  executionName?: string;
  decisionId?: string;
  /** Status `snoozed`: until when. */
  snoozedUntil?: string;
  /** Status `open` after a cycle that ended without action: not notified again before then. */
  quietUntil?: string;
  /** Status `kept`: who exempted it, and why. */
  keptBy?: string;
  keptReason?: string;
}

export interface StatusChange {
  findingId: string;
  at: string;
  status: FindingStatus;
  reason: string;
}

export interface AuditEntry {
  /** Deterministic: the same event recorded twice has the same id and is stored once. */
  id: string;
  at: string;
  /** Who acted: `janitor` for the service itself, else a Slack user id or a CLI user. */
  actor: string;
  action: string;
  findingId?: string;
  resourceArn?: string;
  reason: string;
  evidence?: Record<string, unknown>;
}

export interface RecordScanResult {
  /** Findings seen for the first time ever. */
  opened: string[];
  /** Findings seen before, now seen again by this scan. */
  seenAgain: string[];
  /** Findings this scan had already recorded (a rerun): nothing was written for them. */
  alreadyRecorded: string[];
  /** Open findings no longer reported by this scan's detectors: marked resolved. */
  resolved: string[];
  /**
   * Resolved (or acted on, or cancelled) findings this scan reports again, after that status
   * change: open once more (a status change and a
   * `finding.reopened` audit entry), so they can be acted on again. A subset of `seenAgain`.
   * Optional only so existing fakes keep compiling; DynamoStore always sets it.
   */
  reopened?: string[];
}

/**
 * The janitor's memory, in domain verbs. One implementation over DynamoDB
 * (dynalite locally). Every write is conditional so reruns and redeliveries are harmless.
 */
export interface JanitorStore {
  /**
   * Records what one scan found. `scanId` is deterministic for a scheduled run (the
   * EventBridge event's scheduled time), so the same scan recorded twice writes nothing
   * the second time. `detectorsRun` limits resolution to findings those detectors own.
   */
  recordScan(input: {
    scanId: string;
    at: Date;
    findings: Finding[];
    detectorsRun: string[];
  }): Promise<RecordScanResult>;
  getFinding(id: string): Promise<StoredFinding | undefined>;
  listFindings(filter?: { status?: FindingStatus }): Promise<StoredFinding[]>;
  statusHistory(findingId: string): Promise<StatusChange[]>;
  /** Returns false when an entry with the same id was already there. */
  appendAudit(entry: AuditEntry): Promise<boolean>;
  listAudit(filter?: { findingId?: string; since?: Date }): Promise<AuditEntry[]>;
}
