import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { StoreError } from "../../../shared/errors.ts";
import { ensureTable, type LocalDynamo, startLocalDynamo } from "../../../shared/local/dynamo.ts";
import { DynamoStore, STORE_PERMISSIONS } from "../../../shared/store/dynamo-store.ts";
import { DynamoEndpointConfigCache } from "../../../shared/store/endpoint-config-cache.ts";
import { sampleFinding } from "../../fixtures/findings.ts";

const T1 = new Date("2025-03-01T02:00:00.000Z");
const T2 = new Date("2025-03-02T02:00:00.000Z");
const T3 = new Date("2025-03-03T02:00:00.000Z");
const DETECTORS = ["idle-endpoint"];

let dynamo: LocalDynamo;
let client: DynamoDBClient;
let doc: DynamoDBDocumentClient;
let tableName: string;
let store: DynamoStore;
let tables = 0;
/** Every DynamoDB operation the store sends, by name. */
let sent: string[] = [];

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  client.middlewareStack.add(
    (next, context) => (args) => {
      sent.push(String(context.commandName).replace(/Command$/, ""));
      return next(args);
    },
    { step: "initialize", name: "countCommands" },
  );
  doc = DynamoDBDocumentClient.from(client);
});

afterAll(async () => {
  client?.destroy();
  await dynamo?.close();
});

beforeEach(async () => {
  tableName = `janitor-test-${++tables}`;
  await ensureTable(client, tableName);
  store = new DynamoStore({ client: doc, tableName });
  sent = [];
});

async function allItems(): Promise<Record<string, unknown>[]> {
  const out = await doc.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }));
  return (out.Items ?? []).sort((a, b) => `${a.pk}${a.sk}`.localeCompare(`${b.pk}${b.sk}`));
}

const writes = () => sent.filter((op) => /Put|Update|Delete|TransactWrite|BatchWrite/.test(op));

describe("DynamoStore.recordScan", () => {
  const a = sampleFinding("churn-model-prod");
  const b = sampleFinding("fraud-scorer-staging", { monthlyCostUsd: 240.5 });

  it("opens new findings: META, observation, status history and audit entry, one transaction each", async () => {
    const result = await store.recordScan({
      scanId: "scan-1",
      at: T1,
      findings: [a, b],
      detectorsRun: DETECTORS,
    });

    expect(result).toEqual({
      opened: [a.id, b.id],
      seenAgain: [],
      alreadyRecorded: [],
      resolved: [],
      reopened: [],
    });
    expect(await store.getFinding(a.id)).toEqual({
      finding: a,
      status: "open",
      firstSeen: T1.toISOString(),
      lastSeen: T1.toISOString(),
      timesSeen: 1,
    });
    const partition = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": `FINDING#${a.id}` },
      }),
    );
    expect(partition.Items?.map((item) => item.sk)).toEqual([
      `AUDIT#scan:scan-1:opened:${a.id}`,
      "META",
      "SCAN#scan-1",
      `STATUS#${T1.toISOString()}#open`,
    ]);
    const observation = partition.Items?.find((item) => item.sk === "SCAN#scan-1");
    expect(observation).toMatchObject({
      scanId: "scan-1",
      at: T1.toISOString(),
      monthlyCostUsd: a.monthlyCostUsd,
    });
    expect(observation?.expiresAt).toBe(T1.getTime() / 1000 + 400 * 86_400);
    expect(partition.Items?.find((item) => item.sk === "META")).toMatchObject({
      gsi1pk: "STATUS#open",
      gsi1sk: `idle-endpoint#${a.id}`,
    });
    expect(partition.Items?.find((item) => item.sk === "META")).not.toHaveProperty("expiresAt");

    expect(await store.statusHistory(a.id)).toEqual([
      { findingId: a.id, at: T1.toISOString(), status: "open", reason: "reported by scan scan-1" },
    ]);
    expect(await store.listAudit()).toEqual([
      {
        id: `scan:scan-1:opened:${a.id}`,
        at: T1.toISOString(),
        actor: "janitor",
        action: "finding.opened",
        findingId: a.id,
        resourceArn: a.resource.arn,
        reason: a.reason,
        evidence: a.evidence,
      },
      expect.objectContaining({
        id: `scan:scan-1:opened:${b.id}`,
        action: "finding.opened",
        findingId: b.id,
      }),
    ]);
    // One BatchGet for both findings, one transaction per finding, one index query for resolution.
    expect(writes()).toEqual(["TransactWriteItems", "TransactWriteItems"]);
  });

  it("writes nothing when the same scan is recorded again", async () => {
    await store.recordScan({ scanId: "scan-1", at: T1, findings: [a, b], detectorsRun: DETECTORS });
    const before = await allItems();
    sent = [];

    const rerun = await store.recordScan({
      scanId: "scan-1",
      at: T1,
      findings: [a, b],
      detectorsRun: DETECTORS,
    });

    expect(rerun).toEqual({
      opened: [],
      seenAgain: [],
      alreadyRecorded: [a.id, b.id],
      resolved: [],
      reopened: [],
    });
    expect(writes()).toEqual([]);
    expect(await allItems()).toEqual(before);
    expect(await store.listAudit()).toHaveLength(2);
    expect(await store.statusHistory(a.id)).toHaveLength(1);
    expect((await store.getFinding(a.id))?.timesSeen).toBe(1);
  });

  it("records a finding once when the same scan is delivered twice at the same moment", async () => {
    const input = { scanId: "scan-1", at: T1, findings: [a], detectorsRun: DETECTORS };

    const [first, second] = await Promise.all([store.recordScan(input), store.recordScan(input)]);

    expect([...first.opened, ...second.opened]).toEqual([a.id]);
    expect([...first.alreadyRecorded, ...second.alreadyRecorded]).toEqual([a.id]);
    expect((await store.getFinding(a.id))?.timesSeen).toBe(1);
    expect(await store.listAudit({ findingId: a.id })).toHaveLength(1);
  });

  it("counts a finding seen again by a later scan", async () => {
    await store.recordScan({ scanId: "scan-1", at: T1, findings: [a, b], detectorsRun: DETECTORS });
    const cheaper = { ...a, monthlyCostUsd: 513.36 };

    const result = await store.recordScan({
      scanId: "scan-2",
      at: T2,
      findings: [cheaper, b],
      detectorsRun: DETECTORS,
    });

    expect(result).toEqual({
      opened: [],
      seenAgain: [a.id, b.id],
      alreadyRecorded: [],
      resolved: [],
      reopened: [],
    });
    expect(await store.getFinding(a.id)).toEqual({
      finding: cheaper,
      status: "open",
      firstSeen: T1.toISOString(),
      lastSeen: T2.toISOString(),
      timesSeen: 2,
    });
    expect(await store.statusHistory(a.id)).toHaveLength(1);
    expect(await store.listAudit()).toHaveLength(2);
  });

  it("resolves, once, an open finding a later scan of its detector no longer reports", async () => {
    await store.recordScan({ scanId: "scan-1", at: T1, findings: [a, b], detectorsRun: DETECTORS });

    const result = await store.recordScan({
      scanId: "scan-2",
      at: T2,
      findings: [a],
      detectorsRun: DETECTORS,
    });
    const rerun = await store.recordScan({
      scanId: "scan-2",
      at: T2,
      findings: [a],
      detectorsRun: DETECTORS,
    });

    expect(result.resolved).toEqual([b.id]);
    expect(rerun).toEqual({ opened: [], seenAgain: [], alreadyRecorded: [a.id], resolved: [], reopened: [] });
    expect((await store.getFinding(b.id))?.status).toBe("resolved");
    expect(await store.statusHistory(b.id)).toEqual([
      { findingId: b.id, at: T1.toISOString(), status: "open", reason: "reported by scan scan-1" },
      {
        findingId: b.id,
        at: T2.toISOString(),
        status: "resolved",
        reason: "no longer reported by idle-endpoint in scan scan-2",
      },
    ]);
    expect(await store.listAudit({ findingId: b.id })).toEqual([
      expect.objectContaining({ id: `scan:scan-1:opened:${b.id}` }),
      {
        id: `scan:scan-2:resolved:${b.id}`,
        at: T2.toISOString(),
        actor: "janitor",
        action: "finding.resolved",
        findingId: b.id,
        resourceArn: b.resource.arn,
        reason: "no longer reported by idle-endpoint in scan scan-2",
        evidence: { scanId: "scan-2", detector: "idle-endpoint" },
      },
    ]);
    expect(await store.listAudit()).toHaveLength(3);
  });

  it("resolves nothing on a rerun that reports fewer findings, nor for detectors that did not run", async () => {
    const other = sampleFinding("notebook-gpu", { id: "idle-notebook:nb-1", detector: "idle-notebook" });
    await store.recordScan({ scanId: "scan-1", at: T1, findings: [a, b, other], detectorsRun: [] });

    const rerun = await store.recordScan({
      scanId: "scan-1",
      at: T1,
      findings: [a],
      detectorsRun: DETECTORS,
    });
    const failedDetector = await store.recordScan({
      scanId: "scan-2",
      at: T2,
      findings: [],
      detectorsRun: [],
    });

    expect(rerun.resolved).toEqual([]);
    expect(failedDetector.resolved).toEqual([]);
    expect((await store.listFindings({ status: "open" })).map((f) => f.finding.id).sort()).toEqual(
      [a.id, b.id, other.id].sort(),
    );
  });

  it("reopens a resolved finding reported again, but not on a late delivery of an older scan", async () => {
    await store.recordScan({ scanId: "scan-1", at: T1, findings: [a, b], detectorsRun: DETECTORS });
    await store.recordScan({ scanId: "scan-3", at: T3, findings: [a], detectorsRun: DETECTORS });

    // scan-2 ran before scan-3 resolved b, but arrives after it.
    const late = await store.recordScan({
      scanId: "scan-2",
      at: T2,
      findings: [a, b],
      detectorsRun: DETECTORS,
    });
    expect(late).toEqual({
      opened: [],
      seenAgain: [a.id, b.id],
      alreadyRecorded: [],
      resolved: [],
      reopened: [],
    });
    expect(await store.getFinding(a.id)).toMatchObject({ lastSeen: T3.toISOString(), timesSeen: 3 });
    expect(await store.getFinding(b.id)).toMatchObject({ status: "resolved", lastSeen: T2.toISOString() });

    const later = new Date("2025-03-04T02:00:00.000Z");
    const again = await store.recordScan({
      scanId: "scan-4",
      at: later,
      findings: [a, b],
      detectorsRun: DETECTORS,
    });
    expect(again.reopened).toEqual([b.id]);
    expect(again.seenAgain).toEqual([a.id, b.id]);
    expect((await store.statusHistory(b.id)).map((c) => c.status)).toEqual(["open", "resolved", "open"]);
    expect(await store.getFinding(b.id)).toMatchObject({ status: "open", timesSeen: 3 });
    expect((await store.listAudit({ findingId: b.id })).map((e) => e.action)).toEqual([
      "finding.opened",
      "finding.resolved",
      "finding.reopened",
    ]);
  });

  it("records a large scan in bounded batches", async () => {
    const many = Array.from({ length: 120 }, (_, i) => sampleFinding(`endpoint-${i}`));

    const result = await store.recordScan({
      scanId: "scan-1",
      at: T1,
      findings: many,
      detectorsRun: DETECTORS,
    });

    expect(result.opened).toHaveLength(120);
    expect(sent.filter((op) => op === "BatchGetItem")).toHaveLength(3);
    expect(sent.filter((op) => op === "TransactWriteItems")).toHaveLength(120);
    expect(await store.listFindings({ status: "open" })).toHaveLength(120);
  });
});

describe("DynamoStore audit and listing", () => {
  it("stores an audit entry once however often it is appended", async () => {
    const entry = {
      id: "decision:task-42",
      at: T1.toISOString(),
      actor: "U024BE7LH",
      action: "decision.keep",
      findingId: "idle-endpoint:x",
      reason: "needed for the Friday demo",
    };

    expect(await store.appendAudit(entry)).toBe(true);
    expect(await store.appendAudit({ ...entry, at: T2.toISOString() })).toBe(false);

    expect(await store.listAudit({ findingId: "idle-endpoint:x" })).toEqual([entry]);
    expect(await store.listAudit()).toEqual([entry]);
  });

  it("lists the audit log from a date, with and without a finding", async () => {
    const base = { actor: "janitor", action: "budget.threshold", reason: "80% of the monthly budget" };
    await store.appendAudit({ ...base, id: "budget:2025-03:80", at: T2.toISOString() });
    await store.appendAudit({ ...base, id: "budget:2025-02:80", at: T1.toISOString() });
    await store.appendAudit({ ...base, id: "f:3", at: T3.toISOString(), findingId: "f" });
    await store.appendAudit({ ...base, id: "f:1", at: T1.toISOString(), findingId: "f" });

    expect((await store.listAudit()).map((e) => e.id)).toEqual([
      "budget:2025-02:80",
      "f:1",
      "budget:2025-03:80",
      "f:3",
    ]);
    expect((await store.listAudit({ since: T2 })).map((e) => e.id)).toEqual(["budget:2025-03:80", "f:3"]);
    expect((await store.listAudit({ findingId: "f" })).map((e) => e.id)).toEqual(["f:1", "f:3"]);
    expect((await store.listAudit({ findingId: "f", since: T2 })).map((e) => e.id)).toEqual(["f:3"]);
  });

  it("lists findings by status", async () => {
    const a = sampleFinding("a-endpoint");
    const b = sampleFinding("b-endpoint");
    await store.recordScan({ scanId: "scan-1", at: T1, findings: [a, b], detectorsRun: DETECTORS });
    await store.recordScan({ scanId: "scan-2", at: T2, findings: [a], detectorsRun: DETECTORS });

    expect((await store.listFindings({ status: "open" })).map((f) => f.finding.id)).toEqual([a.id]);
    expect((await store.listFindings({ status: "resolved" })).map((f) => f.finding.id)).toEqual([b.id]);
    expect((await store.listFindings({ status: "snoozed" })).map((f) => f.finding.id)).toEqual([]);
    expect((await store.listFindings()).map((f) => f.finding.id)).toEqual([a.id, b.id]);
    expect(await store.getFinding("nope")).toBeUndefined();
  });
});

describe("DynamoStore permissions", () => {
  it("sends only operations its declared IAM actions allow", async () => {
    const a = sampleFinding("a-endpoint");
    await store.recordScan({ scanId: "scan-1", at: T1, findings: [a], detectorsRun: DETECTORS });
    await store.recordScan({ scanId: "scan-2", at: T2, findings: [], detectorsRun: DETECTORS });
    await store.recordScan({ scanId: "scan-3", at: T3, findings: [a], detectorsRun: DETECTORS });
    await store.getFinding(a.id);
    await store.listFindings();
    await store.statusHistory(a.id);
    await store.appendAudit({ id: "x", at: T1.toISOString(), actor: "a", action: "b", reason: "c" });
    await store.listAudit();
    await store.listAudit({ findingId: a.id });
    // The endpoint config cache lives in the same table, under the same role.
    const cache = new DynamoEndpointConfigCache({ client: doc, tableName });
    const scope = { accountId: "123456789012", region: "us-east-1" };
    await cache.setMany(scope, [{ config: { name: "c", isAsync: false, variants: [] }, describedAt: T1 }]);
    await cache.getMany(scope, ["c"]);

    // TransactWriteItems is authorized item by item; the store's items are Puts and Updates.
    const needed = new Set(
      sent.flatMap((op) => (op === "TransactWriteItems" ? ["PutItem", "UpdateItem"] : [op])),
    );
    expect([...needed].map((op) => `dynamodb:${op}`).sort()).toEqual([...STORE_PERMISSIONS].sort());
  });
});

describe("DynamoStore errors", () => {
  it("turns a DynamoDB error other than a failed condition into a StoreError with its cause", async () => {
    const missing = new DynamoStore({ client: doc, tableName: "no-such-table" });

    const read = missing.getFinding("x");
    await expect(read).rejects.toBeInstanceOf(StoreError);
    await expect(read).rejects.toMatchObject({ cause: { name: "ResourceNotFoundException" } });
    await expect(
      missing.recordScan({ scanId: "s", at: T1, findings: [sampleFinding()], detectorsRun: DETECTORS }),
    ).rejects.toBeInstanceOf(StoreError);
    await expect(
      missing.appendAudit({ id: "x", at: T1.toISOString(), actor: "a", action: "b", reason: "c" }),
    ).rejects.toThrow(StoreError);
  });
});
