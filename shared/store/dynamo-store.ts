/**
 * The janitor's store over one DynamoDB table (single-table design).
 *
 * Table: `pk` (S, hash) / `sk` (S, range), TTL attribute `expiresAt` (epoch seconds), two
 * GSIs; the definition CloudFormation and the local runtime must use is `TABLE_SCHEMA`.
 *
 * | item             | pk               | sk                      | index keys                                        | TTL        |
 * |------------------|------------------|-------------------------|---------------------------------------------------|------------|
 * | finding (META)   | FINDING#<id>     | META                    | byStatus: STATUS#<status> / <detector>#<id>       | kept       |
 * | observation      | FINDING#<id>     | SCAN#<scanId>           | —                                                 | at + 400 d |
 * | status change    | FINDING#<id>     | STATUS#<iso>#<status>   | —                                                 | kept       |
 * | audit, finding's | FINDING#<id>     | AUDIT#<auditId>         | auditByTime: AUDIT / <at>#<auditId>               | kept       |
 * | audit, other     | AUDIT#<auditId>  | AUDIT#<auditId>         | auditByTime: AUDIT / <at>#<auditId>               | kept       |
 * | endpoint config  | ENDPOINTCONFIG#<account>#<region>#<name> | META | — (endpoint-config-cache.ts)              | at + 30 d  |
 * | undo record      | FINDING#<id>     | UNDO                    | —                                                 | kept       |
 * | pending decision | DECISION#<decId> | PENDING                 | — (holds the task token; nothing else does)       | deadline + 30 d |
 * | decision         | DECISION#<decId> | DECISION                | —                                                 | kept       |
 * | action slots     | CAP#<day>        | CAP                     | — (string set `findingIds`)                       | kept       |
 * | saving           | SAVINGS          | <at>#<findingId>#<action> | —                                               | kept       |
 *
 * Workflow (dynamo-workflow-store.ts): a cycle's claim lives on the META item (`cycle`,
 * `executionName`, `decisionId`, `claimedAt`, `started`, and after a close `snoozedUntil`,
 * `quietUntil`, `keptBy`/`keptReason`). Claim and close are one transaction each (META update
 * conditional on what was read, status change, audit entry); recordDecision one of two puts
 * (decision, audit); every other verb one request. Savings share one partition: a few writes
 * a day.
 *
 * Access patterns: a finding and its history are one partition (GetItem META; Query
 * `STATUS#` for its status history, `AUDIT#` for its audit trail). `byStatus` lists findings
 * by status, and open findings by detector (resolution reads only the detectors that ran).
 * `auditByTime` reads the whole audit log in time order, from a date.
 *
 * Idempotency: the observation `FINDING#<id>/SCAN#<scanId>` is written with
 * `attribute_not_exists(pk)` in the same transaction as everything else the scan changes for
 * that finding, so it is the proof the scan was recorded: a rerun finds it (by a read,
 * writing nothing) or loses the race on it (the transaction is cancelled, writing nothing).
 * Audit ids are deterministic and their puts conditional. Resolution is conditional on the
 * finding still being open and last seen before the scan.
 *
 * Requests per finding and scan: new → one TransactWriteItems of 4 puts (observation, META,
 * status change, audit); seen again → one of 2 (observation put, META update); reopened → 4;
 * resolved → one of 3 (META update, status change, audit). A rerun writes nothing: its cost is
 * the reads every scan does, one consistent BatchGetItem per 50 findings and one Query per
 * detector that ran.
 *
 * Scale notes: `auditByTime` has one partition key, good for ~1000 audit writes/s; past that,
 * shard it by month. `STATUS#open` likewise holds every open finding of the account.
 */
import { BatchGetCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import pLimit from "p-limit";
import { StoreError } from "../errors.ts";
import type { Finding } from "../types.ts";
import { backoff, CONDITION_FAILED, CONFLICT, DynamoTable, type Item, MAX_ATTEMPTS } from "./dynamo-table.ts";
import { DynamoWorkflowStore } from "./dynamo-workflow-store.ts";
import {
  AUDIT_GSI_PK,
  type AuditItem,
  auditItem,
  detectorGsiPrefix,
  findingPk,
  type Key,
  type MetaItem,
  metaKey,
  observationKey,
  type StatusItem,
  statusGsiPk,
  toAuditEntry,
  toStatusChange,
  toStoredFinding,
} from "./items.ts";
import {
  META_ITEM,
  OBSERVATION_ITEM,
  type ObservationOutcome,
  planObservation,
  planResolution,
} from "./scan-writes.ts";
import { AUDIT_INDEX, STATUS_INDEX } from "./table-schema.ts";
import type {
  AuditEntry,
  FindingStatus,
  JanitorStore,
  RecordScanResult,
  StatusChange,
  StoredFinding,
} from "./types.ts";
import type {
  Decision,
  PendingDecision,
  SavingEntry,
  UndoRecord,
  WorkflowClaim,
  WorkflowStore,
} from "./workflow-types.ts";
import type { CloseInput } from "./workflow-writes.ts";

/**
 * The IAM actions this store needs on the table and its indexes (`<table arn>/index/*`).
 * Transactions are authorized by the actions of their items (Put → PutItem, Update →
 * UpdateItem): the store sends no Delete or ConditionCheck. The endpoint config cache in the
 * same table (endpoint-config-cache.ts) reads with BatchGetItem and writes with BatchWriteItem.
 */
export const STORE_PERMISSIONS = [
  "dynamodb:BatchGetItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:GetItem",
  "dynamodb:PutItem",
  "dynamodb:Query",
  "dynamodb:UpdateItem",
] as const;

/** A compile error here means a status was added to FindingStatus: list it. */
const STATUSES: Record<FindingStatus, true> = {
  open: true,
  resolved: true,
  notified: true,
  snoozed: true,
  kept: true,
  acted: true,
  cancelled: true,
};

const BATCH_GET_KEYS = 100;

export interface DynamoStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Requests in flight at once while recording a scan. */
  concurrency?: number;
}

interface ReadState {
  meta: MetaItem | undefined;
  observed: boolean;
}

export class DynamoStore implements JanitorStore, WorkflowStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #concurrency: number;
  readonly #db: DynamoTable;
  readonly #workflow: DynamoWorkflowStore;

  constructor({ client, tableName, concurrency = 16 }: DynamoStoreOptions) {
    this.#client = client;
    this.#table = tableName;
    this.#concurrency = concurrency;
    this.#db = new DynamoTable(client, tableName);
    this.#workflow = new DynamoWorkflowStore({ client, tableName });
  }

  async recordScan(input: {
    scanId: string;
    at: Date;
    findings: Finding[];
    detectorsRun: string[];
  }): Promise<RecordScanResult> {
    const { scanId, detectorsRun } = input;
    const at = input.at.toISOString();
    // A finding reported twice by one scan (a detector bug) is recorded once.
    const findings = [...new Map(input.findings.map((f) => [f.id, f])).values()];
    const state = await this.#readScanState(scanId, findings);

    const outcomes = await mapBounded(findings, this.#concurrency, (finding) =>
      this.#recordFinding(finding, scanId, at, state.get(finding.id) ?? { meta: undefined, observed: false }),
    );
    const result: Required<RecordScanResult> = {
      opened: [],
      seenAgain: [],
      alreadyRecorded: [],
      resolved: [],
      reopened: [],
    };
    outcomes.forEach((outcome, i) => {
      const id = findings[i]!.id;
      if (outcome === "reopened") {
        result.seenAgain.push(id);
        result.reopened.push(id);
      } else {
        result[outcome].push(id);
      }
    });
    const reported = new Set(findings.map((f) => f.id));
    result.resolved = await this.#resolveMissing(scanId, at, detectorsRun, reported);
    return result;
  }

  async getFinding(id: string): Promise<StoredFinding | undefined> {
    const item = await this.#db.get(`read finding ${id}`, metaKey(id));
    return item === undefined ? undefined : toStoredFinding(item as MetaItem);
  }

  async listFindings(filter?: { status?: FindingStatus }): Promise<StoredFinding[]> {
    const statuses =
      filter?.status === undefined ? (Object.keys(STATUSES) as FindingStatus[]) : [filter.status];
    const found: StoredFinding[] = [];
    for (const status of statuses) {
      const items = await this.#db.queryAll(`list ${status} findings`, {
        IndexName: STATUS_INDEX,
        KeyConditionExpression: "gsi1pk = :pk",
        ExpressionAttributeValues: { ":pk": statusGsiPk(status) },
      });
      found.push(...items.map((item) => toStoredFinding(item as MetaItem)));
    }
    return found.sort(
      (a, b) => a.firstSeen.localeCompare(b.firstSeen) || a.finding.id.localeCompare(b.finding.id),
    );
  }

  async statusHistory(findingId: string): Promise<StatusChange[]> {
    const items = await this.#db.queryAll(`read status history of ${findingId}`, {
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
      ExpressionAttributeValues: { ":pk": findingPk(findingId), ":prefix": "STATUS#" },
      ConsistentRead: true,
    });
    // The sort key starts with the ISO time: DynamoDB already returns them oldest first.
    return items.map((item) => toStatusChange(item as StatusItem));
  }

  appendAudit(entry: AuditEntry): Promise<boolean> {
    return this.#db.put(`append audit entry ${entry.id}`, auditItem(entry));
  }

  async listAudit(filter?: { findingId?: string; since?: Date }): Promise<AuditEntry[]> {
    const since = filter?.since?.toISOString();
    if (filter?.findingId !== undefined) {
      const items = await this.#db.queryAll(`read audit of ${filter.findingId}`, {
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues: {
          ":pk": findingPk(filter.findingId),
          ":prefix": "AUDIT#",
          ...(since === undefined ? {} : { ":since": since }),
        },
        ...(since === undefined
          ? {}
          : { FilterExpression: "#at >= :since", ExpressionAttributeNames: { "#at": "at" } }),
        ConsistentRead: true,
      });
      return items
        .map((item) => toAuditEntry(item as AuditItem))
        .sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
    }
    const items = await this.#db.queryAll("read audit log", {
      IndexName: AUDIT_INDEX,
      KeyConditionExpression: since === undefined ? "gsi2pk = :pk" : "gsi2pk = :pk AND gsi2sk >= :since",
      ExpressionAttributeValues: { ":pk": AUDIT_GSI_PK, ...(since === undefined ? {} : { ":since": since }) },
    });
    return items.map((item) => toAuditEntry(item as AuditItem));
  }

  // The workflow's verbs (dynamo-workflow-store.ts), over the same table.

  claimWorkflow(findingId: string, now: Date): Promise<WorkflowClaim | undefined> {
    return this.#workflow.claimWorkflow(findingId, now);
  }

  markWorkflowStarted(findingId: string, executionName: string): Promise<void> {
    return this.#workflow.markWorkflowStarted(findingId, executionName);
  }

  savePendingDecision(pending: PendingDecision): Promise<void> {
    return this.#workflow.savePendingDecision(pending);
  }

  getPendingDecision(decisionId: string): Promise<PendingDecision | undefined> {
    return this.#workflow.getPendingDecision(decisionId);
  }

  recordDecision(decisionId: string, decision: Decision): Promise<boolean> {
    return this.#workflow.recordDecision(decisionId, decision);
  }

  getDecision(decisionId: string): Promise<Decision | undefined> {
    return this.#workflow.getDecision(decisionId);
  }

  closeWorkflow(input: CloseInput): Promise<void> {
    return this.#workflow.closeWorkflow(input);
  }

  takeActionSlot(day: string, cap: number, findingId: string): Promise<boolean> {
    return this.#workflow.takeActionSlot(day, cap, findingId);
  }

  saveUndo(record: UndoRecord): Promise<void> {
    return this.#workflow.saveUndo(record);
  }

  getUndo(findingId: string): Promise<UndoRecord | undefined> {
    return this.#workflow.getUndo(findingId);
  }

  markRestored(findingId: string, by: string, at: Date): Promise<boolean> {
    return this.#workflow.markRestored(findingId, by, at);
  }

  recordSaving(entry: SavingEntry): Promise<boolean> {
    return this.#workflow.recordSaving(entry);
  }

  listSavings(): Promise<SavingEntry[]> {
    return this.#workflow.listSavings();
  }

  /** META and this scan's observation of every finding, in batches of 100 keys, consistently. */
  async #readScanState(scanId: string, findings: Finding[]): Promise<Map<string, ReadState>> {
    const keys = findings.flatMap((f) => [metaKey(f.id), observationKey(f.id, scanId)]);
    const chunks: Key[][] = [];
    for (let i = 0; i < keys.length; i += BATCH_GET_KEYS) chunks.push(keys.slice(i, i + BATCH_GET_KEYS));
    const items = (await mapBounded(chunks, this.#concurrency, (chunk) => this.#batchGet(chunk))).flat();
    const byKey = new Map(items.map((item) => [`${item.pk}\n${item.sk}`, item]));
    const state = new Map<string, ReadState>();
    for (const f of findings) {
      const meta = metaKey(f.id);
      const observation = observationKey(f.id, scanId);
      state.set(f.id, {
        meta: byKey.get(`${meta.pk}\n${meta.sk}`) as MetaItem | undefined,
        observed: byKey.has(`${observation.pk}\n${observation.sk}`),
      });
    }
    return state;
  }

  async #batchGet(keys: Key[]): Promise<Item[]> {
    const found: Item[] = [];
    let pending: Item[] = keys.map((k) => ({ ...k }));
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > MAX_ATTEMPTS) {
        throw new StoreError(
          `read findings: ${pending.length} keys still unprocessed after ${MAX_ATTEMPTS} tries`,
        );
      }
      if (attempt > 1) await backoff(attempt);
      const Keys = pending;
      const out = await this.#db.call("read findings", () =>
        this.#client.send(
          new BatchGetCommand({ RequestItems: { [this.#table]: { Keys, ConsistentRead: true } } }),
        ),
      );
      found.push(...(out.Responses?.[this.#table] ?? []));
      pending = out.UnprocessedKeys?.[this.#table]?.Keys ?? [];
    }
    return found;
  }

  async #readOne(findingId: string, scanId: string): Promise<ReadState> {
    const items = await this.#batchGet([metaKey(findingId), observationKey(findingId, scanId)]);
    return {
      meta: items.find((item) => item.sk === metaKey(findingId).sk) as MetaItem | undefined,
      observed: items.some((item) => item.sk === observationKey(findingId, scanId).sk),
    };
  }

  async #recordFinding(
    finding: Finding,
    scanId: string,
    at: string,
    read: ReadState,
  ): Promise<ObservationOutcome | "alreadyRecorded"> {
    let state = read;
    for (let attempt = 1; ; attempt++) {
      if (state.observed) return "alreadyRecorded";
      const plan = planObservation({ tableName: this.#table, finding, scanId, at, meta: state.meta });
      const what = `record finding ${finding.id} for scan ${scanId}`;
      const reasons = await this.#db.transact(what, plan.items);
      if (reasons === undefined) return plan.outcome;
      // Someone recorded this very scan meanwhile (a concurrent redelivery).
      if (reasons[OBSERVATION_ITEM] === CONDITION_FAILED) return "alreadyRecorded";
      const stale = reasons[META_ITEM] === CONDITION_FAILED || reasons.includes(CONFLICT);
      if (!stale || attempt >= MAX_ATTEMPTS) {
        throw new StoreError(`${what}: transaction cancelled (${reasons.join(", ")})`);
      }
      await backoff(attempt);
      state = await this.#readOne(finding.id, scanId);
    }
  }

  async #resolveMissing(
    scanId: string,
    at: string,
    detectorsRun: string[],
    reported: Set<string>,
  ): Promise<string[]> {
    const candidates: MetaItem[] = [];
    for (const detector of new Set(detectorsRun)) {
      const items = await this.#db.queryAll(`list open findings of ${detector}`, {
        IndexName: STATUS_INDEX,
        KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :prefix)",
        FilterExpression: "lastSeen < :at",
        ExpressionAttributeValues: {
          ":pk": statusGsiPk("open"),
          ":prefix": detectorGsiPrefix(detector),
          ":at": at,
        },
      });
      for (const item of items as MetaItem[]) {
        // The prefix `a#` also matches a detector named `a#b`.
        if (item.detector === detector && !reported.has(item.findingId)) candidates.push(item);
      }
    }
    const resolved = await mapBounded(candidates, this.#concurrency, (meta) =>
      this.#resolve(meta, scanId, at),
    );
    return candidates
      .filter((_, i) => resolved[i])
      .map((meta) => meta.findingId)
      .sort();
  }

  async #resolve(meta: MetaItem, scanId: string, at: string): Promise<boolean> {
    const items = planResolution({
      tableName: this.#table,
      findingId: meta.findingId,
      detector: meta.detector,
      resourceArn: meta.finding.resource?.arn,
      scanId,
      at,
    });
    const what = `resolve finding ${meta.findingId} for scan ${scanId}`;
    for (let attempt = 1; ; attempt++) {
      const reasons = await this.#db.transact(what, items);
      if (reasons === undefined) return true;
      // No longer open, or seen since (the index may lag): not ours to resolve.
      if (reasons[0] === CONDITION_FAILED) return false;
      if (!reasons.includes(CONFLICT) || attempt >= MAX_ATTEMPTS) {
        throw new StoreError(`${what}: transaction cancelled (${reasons.join(", ")})`);
      }
      await backoff(attempt);
    }
  }
}

/** At most `concurrency` calls in flight; on the first failure, starts no more. */
async function mapBounded<T, R>(items: T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const limit = pLimit(concurrency);
  try {
    return await Promise.all(items.map((item) => limit(() => fn(item))));
  } finally {
    limit.clearQueue();
  }
}
