import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ensureTable, type LocalDynamo, startLocalDynamo } from "../../../shared/local/dynamo.ts";
import { DynamoStore, STORE_PERMISSIONS } from "../../../shared/store/dynamo-store.ts";
import type { PendingDecision, UndoRecord, WorkflowClaim } from "../../../shared/store/workflow-types.ts";
import { sampleFinding } from "../../fixtures/findings.ts";

const DAY = 86_400_000;
const T1 = new Date("2025-03-01T02:00:00.000Z");
const at = (base: Date, ms: number): Date => new Date(base.getTime() + ms);
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

const finding = sampleFinding("churn-model-prod");

beforeEach(async () => {
  tableName = `workflow-test-${++tables}`;
  await ensureTable(client, tableName);
  store = new DynamoStore({ client: doc, tableName });
  await store.recordScan({ scanId: "scan-1", at: T1, findings: [finding], detectorsRun: DETECTORS });
  sent = [];
});

async function allItems(): Promise<Record<string, unknown>[]> {
  const out = await doc.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }));
  return (out.Items ?? []).sort((a, b) => `${a.pk}${a.sk}`.localeCompare(`${b.pk}${b.sk}`));
}

const writes = () => sent.filter((op) => /Put|Update|Delete|TransactWrite|BatchWrite/.test(op));

/** Claims, starts and returns cycle `n`'s claim (throws when nothing was claimed). */
async function startCycle(now: Date): Promise<WorkflowClaim> {
  const claim = await store.claimWorkflow(finding.id, now);
  if (claim === undefined) throw new Error("expected a claim");
  await store.markWorkflowStarted(finding.id, claim.executionName);
  return claim;
}

function close(
  claim: WorkflowClaim,
  status: "snoozed" | "kept" | "acted" | "cancelled" | "open" | "failed",
  when: Date,
) {
  return {
    findingId: finding.id,
    executionName: claim.executionName,
    status,
    at: when,
    reason: "r",
    actor: "U1",
  };
}

describe("claimWorkflow", () => {
  it("claims an open finding: notified, cycle 1, a status change and an audit entry in one transaction", async () => {
    const now = at(T1, 60_000);

    const claim = await store.claimWorkflow(finding.id, now);

    expect(claim).toEqual({
      findingId: finding.id,
      executionName: expect.stringMatching(/^idle-endpoint-arn-aws-sagemaker-.*-c1$/),
      cycle: 1,
      decisionId: expect.stringMatching(/^d-[0-9a-f]{16}$/),
      claimedAt: now.toISOString(),
      started: false,
    });
    // A name StartExecution accepts: 1-80 characters, none of `:`, `/` and the like.
    expect(claim?.executionName).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
    expect(sent).toEqual(["GetItem", "TransactWriteItems"]);
    expect(await store.getFinding(finding.id)).toMatchObject({ status: "notified", cycle: 1 });
    expect((await store.listFindings({ status: "notified" })).map((f) => f.finding.id)).toEqual([finding.id]);
    expect((await store.statusHistory(finding.id)).at(-1)).toEqual({
      findingId: finding.id,
      at: now.toISOString(),
      status: "notified",
      reason: `workflow ${claim?.executionName} claimed`,
    });
    expect((await store.listAudit({ findingId: finding.id })).at(-1)).toEqual({
      id: `workflow:${claim?.executionName}:claimed`,
      at: now.toISOString(),
      actor: "janitor",
      action: "workflow.claimed",
      findingId: finding.id,
      resourceArn: finding.resource.arn,
      reason: "cycle 1 claimed from status open",
      evidence: { executionName: claim?.executionName, cycle: 1, decisionId: claim?.decisionId },
    });
  });

  it("claims nothing while a started cycle is in flight, and writes nothing trying", async () => {
    await startCycle(at(T1, 1000));
    sent = [];

    expect(await store.claimWorkflow(finding.id, at(T1, 2000))).toBeUndefined();
    expect(writes()).toEqual([]);
  });

  it("returns the same claim again after a crash between claim and start, without a new cycle", async () => {
    const first = await store.claimWorkflow(finding.id, at(T1, 1000));
    const before = await allItems();
    sent = [];

    const again = await store.claimWorkflow(finding.id, at(T1, 5000));

    expect(again).toEqual(first);
    expect(writes()).toEqual([]);
    expect(await allItems()).toEqual(before);

    await store.markWorkflowStarted(finding.id, first!.executionName);
    expect(await store.claimWorkflow(finding.id, at(T1, 6000))).toBeUndefined();
  });

  it("lets one of two concurrent claims win", async () => {
    const claims = await Promise.all([
      store.claimWorkflow(finding.id, at(T1, 1000)),
      store.claimWorkflow(finding.id, at(T1, 1001)),
    ]);

    // The loser either lost the race on the condition (undefined) or, reading after the
    // winner committed, got the winner's unstarted claim: never a second cycle.
    const got = claims.filter((c) => c !== undefined);
    expect(got.length).toBeGreaterThanOrEqual(1);
    expect(new Set(got.map((c) => c.executionName)).size).toBe(1);
    expect(got[0]?.cycle).toBe(1);
    expect((await store.statusHistory(finding.id)).map((c) => c.status)).toEqual(["open", "notified"]);
    expect((await store.listAudit({ findingId: finding.id })).map((e) => e.action)).toEqual([
      "finding.opened",
      "workflow.claimed",
    ]);
  });

  it("claims nothing for an unknown finding", async () => {
    expect(await store.claimWorkflow("idle-endpoint:nope", T1)).toBeUndefined();
  });
});

describe("closeWorkflow and the next cycle", () => {
  it("snoozed: nothing before the snooze ends, a new cycle c2 after", async () => {
    const c1 = await startCycle(at(T1, 1000));
    const until = at(T1, 7 * DAY);
    await store.closeWorkflow({
      ...close(c1, "snoozed", at(T1, 2000)),
      snoozedUntil: until,
      reason: "snoozed 7 days",
    });

    expect(await store.getFinding(finding.id)).toMatchObject({
      status: "snoozed",
      snoozedUntil: until.toISOString(),
    });
    expect(await store.claimWorkflow(finding.id, at(T1, 3 * DAY))).toBeUndefined();
    const c2 = await store.claimWorkflow(finding.id, at(T1, 8 * DAY));

    expect(c2).toMatchObject({ cycle: 2, started: false });
    expect(c2?.executionName).toMatch(/-c2$/);
    expect(c2?.executionName).not.toBe(c1.executionName);
    expect(c2?.decisionId).not.toBe(c1.decisionId);
    const stored = await store.getFinding(finding.id);
    expect(stored).toMatchObject({ status: "notified", cycle: 2 });
    expect(stored).not.toHaveProperty("snoozedUntil");
  });

  it("kept: never claimed again, and the exemption says who and why", async () => {
    const c1 = await startCycle(at(T1, 1000));
    await store.closeWorkflow({
      ...close(c1, "kept", at(T1, 2000)),
      actor: "U024BE7LH",
      reason: "Friday demo",
    });

    expect(await store.getFinding(finding.id)).toMatchObject({
      status: "kept",
      keptBy: "U024BE7LH",
      keptReason: "Friday demo",
    });
    expect(await store.claimWorkflow(finding.id, at(T1, 400 * DAY))).toBeUndefined();
  });

  it("open with a quiet period: no new cycle before it ends, one after", async () => {
    const c1 = await startCycle(at(T1, 1000));
    const quietUntil = at(T1, 3 * DAY);
    await store.closeWorkflow({
      ...close(c1, "open", at(T1, 2000)),
      quietUntil,
      reason: "no answer (notify mode)",
    });

    expect(await store.getFinding(finding.id)).toMatchObject({
      status: "open",
      quietUntil: quietUntil.toISOString(),
    });
    expect(await store.claimWorkflow(finding.id, at(T1, 1 * DAY))).toBeUndefined();
    expect(await store.claimWorkflow(finding.id, quietUntil)).toMatchObject({ cycle: 2 });
  });

  it("failed: open again, claimable by the next run", async () => {
    const c1 = await startCycle(at(T1, 1000));
    await store.closeWorkflow({
      ...close(c1, "failed", at(T1, 2000)),
      reason: "SlackApiError: channel_not_found",
    });

    expect((await store.getFinding(finding.id))?.status).toBe("open");
    expect((await store.statusHistory(finding.id)).at(-1)).toMatchObject({
      status: "open",
      reason: "workflow failed: SlackApiError: channel_not_found",
    });
    expect((await store.listAudit({ findingId: finding.id })).at(-1)).toMatchObject({
      id: `workflow:${c1.executionName}:closed`,
      action: "workflow.closed",
      actor: "U1",
      evidence: { executionName: c1.executionName, outcome: "failed" },
    });
    expect(await store.claimWorkflow(finding.id, at(T1, DAY))).toMatchObject({ cycle: 2 });
  });

  it("acted or cancelled: no new cycle until a later scan reports the finding again", async () => {
    for (const outcome of ["acted", "cancelled"] as const) {
      const id = `idle-endpoint:${outcome}`;
      const f = sampleFinding(outcome, { id });
      await store.recordScan({ scanId: "scan-1", at: T1, findings: [f], detectorsRun: [] });
      const claim = await store.claimWorkflow(id, at(T1, 1000));
      await store.closeWorkflow({ ...close(claim!, outcome, at(T1, 2000)), findingId: id });

      expect(await store.claimWorkflow(id, at(T1, DAY))).toBeUndefined();
      const rescan = await store.recordScan({
        scanId: "scan-2",
        at: at(T1, DAY),
        findings: [f],
        detectorsRun: [],
      });
      expect(rescan.reopened).toEqual([id]);
      expect(await store.claimWorkflow(id, at(T1, DAY + 1000))).toMatchObject({ cycle: 2 });
      expect((await store.statusHistory(id)).map((c) => c.status)).toEqual([
        "open",
        "notified",
        outcome,
        "open",
        "notified",
      ]);
    }
  });

  it("writes a close once: a second close, or a stale one for another cycle, writes nothing", async () => {
    const c1 = await startCycle(at(T1, 1000));
    sent = [];
    await store.closeWorkflow({ ...close(c1, "acted", at(T1, 2000)), reason: "deleted" });
    expect(sent).toEqual(["GetItem", "TransactWriteItems"]);
    const after = await allItems();
    sent = [];

    await store.closeWorkflow({ ...close(c1, "open", at(T1, 3000)), reason: "redelivered" });
    await store.closeWorkflow({ ...close(c1, "acted", at(T1, 2000)), executionName: "other-c9" });

    expect(writes()).toEqual([]);
    expect(await allItems()).toEqual(after);
    expect((await store.statusHistory(finding.id)).map((c) => c.status)).toEqual([
      "open",
      "notified",
      "acted",
    ]);
    expect(
      (await store.listAudit({ findingId: finding.id })).filter((e) => e.action === "workflow.closed"),
    ).toHaveLength(1);
  });

  it("refuses a snooze without an end", async () => {
    const c1 = await startCycle(at(T1, 1000));
    await expect(store.closeWorkflow(close(c1, "snoozed", at(T1, 2000)))).rejects.toThrow(/snoozedUntil/);
    expect((await store.getFinding(finding.id))?.status).toBe("notified");
  });

  it("ignores a stale markWorkflowStarted for another execution", async () => {
    const claim = await store.claimWorkflow(finding.id, at(T1, 1000));
    await store.markWorkflowStarted(finding.id, "someone-else-c7");

    expect(await store.claimWorkflow(finding.id, at(T1, 2000))).toEqual(claim);
  });
});

describe("pending decisions and decisions", () => {
  const notice: PendingDecision = {
    decisionId: "d-0123456789abcdef",
    findingId: finding.id,
    executionName: "exec-c1",
    taskToken: "TOKEN-NOTICE-secret",
    phase: "notice",
    channel: "C0ML",
    messageTs: "1700000000.000100",
    ownerUserId: "U024BE7LH",
    deadline: "2025-03-04T02:00:00.000Z",
  };
  const reminder: PendingDecision = {
    decisionId: notice.decisionId,
    findingId: finding.id,
    executionName: "exec-c1",
    taskToken: "TOKEN-REMINDER-secret",
    phase: "reminder",
    deadline: "2025-03-05T02:00:00.000Z",
  };

  it("replaces the notice's token with the reminder's, keeping where the notice was posted", async () => {
    await store.savePendingDecision(notice);
    expect(await store.getPendingDecision(notice.decisionId)).toEqual(notice);

    await store.savePendingDecision(reminder);
    const expected = {
      ...notice,
      taskToken: reminder.taskToken,
      phase: "reminder",
      deadline: reminder.deadline,
    };
    expect(await store.getPendingDecision(notice.decisionId)).toEqual(expected);

    // The notice redelivered late must not bring back a token whose task has ended.
    await store.savePendingDecision(notice);
    expect(await store.getPendingDecision(notice.decisionId)).toEqual(expected);
    expect(await store.getPendingDecision("d-unknown")).toBeUndefined();
  });

  it("keeps the task token in the pending decision item only", async () => {
    await store.savePendingDecision(notice);
    await store.savePendingDecision(reminder);
    await store.recordDecision(notice.decisionId, {
      kind: "approve",
      actor: "U024BE7LH",
      at: T1.toISOString(),
    });

    const holders = (await allItems()).filter((item) => JSON.stringify(item).includes("TOKEN-"));
    expect(holders.map((item) => `${item.pk}/${item.sk}`)).toEqual([`DECISION#${notice.decisionId}/PENDING`]);
    expect(holders[0]?.expiresAt).toBe(Date.parse(reminder.deadline) / 1000 + 30 * 86_400);
    expect(JSON.stringify(await store.listAudit())).not.toContain("TOKEN-");
    expect(JSON.stringify(await store.getDecision(notice.decisionId))).not.toContain("TOKEN-");
  });

  it("records the first decision only, with an audit entry in the finding's trail", async () => {
    await store.savePendingDecision(notice);
    const keep = { kind: "keep", actor: "U024BE7LH", at: T1.toISOString(), reason: "Friday demo" } as const;
    sent = [];

    expect(await store.recordDecision(notice.decisionId, keep)).toBe(true);
    expect(sent).toEqual(["GetItem", "TransactWriteItems"]);
    expect(
      await store.recordDecision(notice.decisionId, {
        kind: "timeout",
        actor: "janitor",
        at: at(T1, 1).toISOString(),
      }),
    ).toBe(false);

    expect(await store.getDecision(notice.decisionId)).toEqual(keep);
    expect(await store.getDecision("d-unknown")).toBeUndefined();
    const decisions = (await store.listAudit({ findingId: finding.id })).filter((e) =>
      e.action.startsWith("decision."),
    );
    expect(decisions).toEqual([
      {
        id: `decision:${notice.decisionId}`,
        at: T1.toISOString(),
        actor: "U024BE7LH",
        action: "decision.keep",
        findingId: finding.id,
        reason: "Friday demo",
        evidence: { decisionId: notice.decisionId, executionName: "exec-c1" },
      },
    ]);
  });

  it("records a snooze with its days", async () => {
    await store.savePendingDecision(notice);
    await store.recordDecision(notice.decisionId, {
      kind: "snooze",
      actor: "U1",
      at: at(T1, 1000).toISOString(),
      days: 7,
    });

    expect((await store.listAudit({ findingId: finding.id })).at(-1)).toMatchObject({
      action: "decision.snooze",
      reason: "snoozed for 7 days",
      evidence: { days: 7 },
    });
  });
});

describe("takeActionSlot", () => {
  it("gives at most `cap` findings a slot a day, and the same finding its slot again", async () => {
    const day = "2025-03-04";

    expect(await store.takeActionSlot(day, 2, "f-a")).toBe(true);
    expect(await store.takeActionSlot(day, 2, "f-b")).toBe(true);
    expect(await store.takeActionSlot(day, 2, "f-c")).toBe(false);
    expect(await store.takeActionSlot(day, 2, "f-a")).toBe(true);
    expect(await store.takeActionSlot(day, 2, "f-c")).toBe(false);
    expect(await store.takeActionSlot("2025-03-05", 2, "f-c")).toBe(true);
    expect(await store.takeActionSlot(day, 0, "f-d")).toBe(false);

    const counter = (await allItems()).find((item) => item.pk === `CAP#${day}`);
    expect(counter?.findingIds).toEqual(new Set(["f-a", "f-b"]));
  });

  it("hands out exactly `cap` slots to concurrent takers", async () => {
    const takers = Array.from({ length: 6 }, (_, i) => store.takeActionSlot("2025-03-04", 3, `f-${i}`));

    expect((await Promise.all(takers)).filter(Boolean)).toHaveLength(3);
  });
});

describe("undo records", () => {
  const undo: UndoRecord = {
    findingId: finding.id,
    resourceArn: finding.resource.arn,
    resourceType: "sagemaker:endpoint",
    action: "delete",
    savedAt: T1.toISOString(),
    data: { endpointConfigName: "churn-config", variants: [{ name: "AllTraffic" }], tags: { team: "ml" } },
  };

  it("saves, reads and marks an undo record restored once", async () => {
    await store.saveUndo(undo);
    expect(await store.getUndo(finding.id)).toEqual(undo);

    expect(await store.markRestored(finding.id, "ana", at(T1, DAY))).toBe(true);
    expect(await store.markRestored(finding.id, "bob", at(T1, 2 * DAY))).toBe(false);

    expect(await store.getUndo(finding.id)).toEqual({
      ...undo,
      restoredAt: at(T1, DAY).toISOString(),
      restoredBy: "ana",
    });
    // The undo record lives beside the finding without showing up in its history.
    expect(await store.statusHistory(finding.id)).toHaveLength(1);
  });

  it("restores nothing, and creates nothing, without a record", async () => {
    expect(await store.getUndo("idle-endpoint:none")).toBeUndefined();
    expect(await store.markRestored("idle-endpoint:none", "ana", T1)).toBe(false);
    expect((await allItems()).filter((item) => item.sk === "UNDO")).toEqual([]);
  });
});

describe("savings", () => {
  const saving = {
    findingId: finding.id,
    at: "2025-03-04T02:00:00.000Z",
    action: "delete" as const,
    monthlyUsd: 1026.72,
    resourceArn: finding.resource.arn,
    decidedBy: "U024BE7LH",
  };

  it("records a saving once and lists them oldest first", async () => {
    const earlier = {
      ...saving,
      findingId: "idle-notebook:nb",
      at: "2025-03-02T02:00:00.000Z",
      action: "stop" as const,
    };

    expect(await store.recordSaving(saving)).toBe(true);
    expect(await store.recordSaving(saving)).toBe(false);
    expect(await store.recordSaving(earlier)).toBe(true);

    expect(await store.listSavings()).toEqual([earlier, saving]);
  });
});

describe("workflow permissions", () => {
  it("sends only operations the declared IAM actions allow", async () => {
    const claim = await startCycle(at(T1, 1000));
    await store.claimWorkflow(finding.id, at(T1, 2000));
    await store.savePendingDecision({
      decisionId: claim.decisionId,
      findingId: finding.id,
      executionName: claim.executionName,
      taskToken: "t",
      phase: "notice",
      deadline: T1.toISOString(),
    });
    await store.getPendingDecision(claim.decisionId);
    await store.recordDecision(claim.decisionId, { kind: "approve", actor: "U1", at: T1.toISOString() });
    await store.getDecision(claim.decisionId);
    await store.takeActionSlot("2025-03-01", 1, finding.id);
    await store.saveUndo({
      findingId: finding.id,
      resourceArn: "arn",
      resourceType: "sagemaker:endpoint",
      action: "delete",
      savedAt: T1.toISOString(),
      data: {},
    });
    await store.getUndo(finding.id);
    await store.markRestored(finding.id, "ana", T1);
    await store.recordSaving({
      findingId: finding.id,
      at: T1.toISOString(),
      action: "delete",
      monthlyUsd: 1,
      resourceArn: "arn",
      decidedBy: "U1",
    });
    await store.listSavings();
    await store.closeWorkflow({ ...close(claim, "acted", at(T1, 3000)) });

    // TransactWriteItems is authorized item by item; the workflow's items are Puts and Updates.
    const needed = new Set(
      sent.flatMap((op) => (op === "TransactWriteItems" ? ["PutItem", "UpdateItem"] : [op])),
    );
    const allowed: readonly string[] = STORE_PERMISSIONS;
    expect([...needed].map((op) => `dynamodb:${op}`).filter((action) => !allowed.includes(action))).toEqual(
      [],
    );
  });
});
