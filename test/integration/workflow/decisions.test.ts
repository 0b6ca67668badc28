/**
 * The cleanup workflow end to end: the real ASL file under aws-local-stepfunctions, the real
 * handlers, the sandbox account, dynalite and the local Slack. Each path asserts the Slack
 * messages, the AWS calls made (and not made) and the store records.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { restoreCommand } from "../../../shared/cli/commands/restore.ts";
import { startWorld, type World, workflowConfig } from "../../fixtures/workflow.ts";

let world: World;

beforeAll(async () => {
  world = await startWorld(workflowConfig({ mode: "enforce", timeoutAction: "delete", grace: "30d" }));
  const first = await world.scanNight();
  expect(first.workflows?.started).toHaveLength(3);
  await world.waitForNotices(3);
});
afterAll(async () => {
  await world?.close();
});

function endpointExists(name: string): boolean {
  return world.runtime.sandbox.scenario.sagemaker.endpoints.some((e) => e.name === name);
}

describe("cleanup workflow decisions", () => {
  it("posts one notice per actionable finding, to the owner's DM, with only a short id in the buttons", async () => {
    const notices = world.runtime.workflow!.slack.messages().filter((m) => !m.threadTs && !m.ephemeralTo);
    expect(notices.map((m) => m.channelName).sort()).toEqual(["@dev", "@kim", "@maria"]);
    const decisionId = await world.decisionIdOf("fraud-scorer-v1");
    const blocks = JSON.stringify(notices.find((m) => m.channelName === "@maria")!.blocks);
    expect(blocks).toContain(decisionId);
    const pending = await world.store.getPendingDecision(decisionId);
    expect(blocks).not.toContain(pending!.taskToken);
  });

  it("starts nothing twice when the same nightly event is delivered again", async () => {
    const again = await world.scanNight();
    expect(again.workflows?.started).toEqual([]);
    expect(world.runtime.workflow!.stepFunctions.executions.size).toBe(3);
  });

  it("approve: re-checks, deletes the endpoint with an undo record, updates the message, records the saving", async () => {
    const decisionId = await world.decisionIdOf("fraud-scorer-v1");
    const findingId = await world.findingIdOf("fraud-scorer-v1");
    world.runtime.sandbox.resetCounts();

    const res = await world.click("maria", { kind: "approve", decisionId });
    expect(res.statusCode).toBe(200);
    await world.settled("fraud-scorer-v1");
    expect((await world.store.getFinding(findingId))?.status).toBe("acted");

    expect(endpointExists("fraud-scorer-v1")).toBe(false);
    expect(world.runtime.sandbox.counts()["SageMaker.DeleteEndpoint"]).toBe(1);
    // The re-check reads fresh endpoints and metrics, but the configs the scan already described come
    // from the table: the one DescribeEndpointConfig is the delete's own, for the undo record.
    expect(world.runtime.sandbox.counts()["SageMaker.Search"]).toBe(1);
    expect(world.runtime.sandbox.counts()["SageMaker.DescribeEndpointConfig"]).toBe(1);
    const undo = await world.store.getUndo(findingId);
    expect(undo).toMatchObject({ resourceType: "sagemaker:endpoint", action: "delete" });
    const savings = await world.store.listSavings();
    expect(savings.find((s) => s.findingId === findingId)).toMatchObject({
      action: "delete",
      decidedBy: "U0MARIA",
    });
    const notice = world.runtime
      .workflow!.slack.messages()
      .find((m) => m.channelName === "@maria" && !m.threadTs)!;
    expect(notice.history.length).toBeGreaterThanOrEqual(1);
    expect(notice.text).toMatch(/deleted|Deleted/);
  });

  it("a second click on a decided notice answers 'already decided' and changes nothing", async () => {
    const decisionId = await world.decisionIdOf("fraud-scorer-v1");
    world.runtime.sandbox.resetCounts();
    const res = await world.click("maria", { kind: "approve", decisionId });
    expect(res.statusCode).toBe(200);
    expect(world.runtime.sandbox.counts()["SageMaker.DeleteEndpoint"]).toBeUndefined();
  });

  it("refuses a click from someone who is neither the owner nor an approver", async () => {
    const decisionId = await world.decisionIdOf("churn-predictor-legacy");
    const res = await world.click("eve", { kind: "approve", decisionId });
    expect(res.statusCode).toBe(200);
    const ephemeral = world.runtime.workflow!.slack.messages().filter((m) => m.ephemeralTo === "U0EVE");
    expect(ephemeral.at(-1)?.text).toMatch(/Only the resource's owner or a configured approver/);
    expect(await world.store.getDecision(decisionId)).toBeUndefined();
    expect(endpointExists("churn-predictor-legacy")).toBe(true);
  });

  it("snooze: records the snooze, acts on nothing, and the next scan skips the finding", async () => {
    const decisionId = await world.decisionIdOf("churn-predictor-legacy");
    const findingId = await world.findingIdOf("churn-predictor-legacy");
    await world.click("dev", { kind: "snooze", decisionId, days: 7 });
    await world.settled("churn-predictor-legacy");
    expect((await world.store.getFinding(findingId))?.status).toBe("snoozed");
    expect(endpointExists("churn-predictor-legacy")).toBe(true);
    const next = await world.scanNight("2026-11-24T02:00:00Z");
    expect(next.workflows?.started).not.toContain(findingId);
  });

  it("keep: an approver gives a reason in the modal; the exemption records who and why", async () => {
    const decisionId = await world.decisionIdOf("vision-idle-zeros");
    const findingId = await world.findingIdOf("vision-idle-zeros");
    await world.click("lead", { kind: "keep", decisionId });
    expect(world.runtime.workflow!.slack.views()).toHaveLength(1);
    const res = await world.click("lead", {
      kind: "keep_reason",
      decisionId,
      reason: "demo for the board on Friday",
    });
    expect(res.statusCode).toBe(200);
    await world.settled("vision-idle-zeros");
    expect((await world.store.getFinding(findingId))?.status).toBe("kept");
    const stored = (await world.store.getFinding(findingId)) as { keptBy?: string; keptReason?: string };
    expect(stored).toMatchObject({ keptBy: "U0LEAD", keptReason: "demo for the board on Friday" });
    expect(endpointExists("vision-idle-zeros")).toBe(true);
  });

  it("restore: `janitor restore` recreates the deleted endpoint from its undo record; the button then says so", async () => {
    const findingId = await world.findingIdOf("fraud-scorer-v1");
    const logs: string[] = [];
    const out = {
      log: (m: string) => logs.push(m),
      error: (m: string) => logs.push(m),
    } as unknown as Console;
    const code = await restoreCommand(findingId, { table: world.runtime.tableName }, out);
    expect(code, logs.join("\n")).toBe(0);
    expect(logs[0]).toMatch(/^Restored arn:aws:sagemaker:us-east-1:123456789012:endpoint\/fraud-scorer-v1/);
    expect(endpointExists("fraud-scorer-v1")).toBe(true);
    const restored = world.runtime.sandbox.scenario.sagemaker.endpoints.find(
      (e) => e.name === "fraud-scorer-v1",
    )!;
    expect(restored.tags).toMatchObject({ owner: "maria@example.com", team: "risk" });
    expect((await world.store.listAudit({ findingId })).map((a) => a.action)).toContain("workflow.restored");

    world.runtime.sandbox.resetCounts();
    const decisionId = await world.decisionIdOf("fraud-scorer-v1");
    await world.click("maria", { kind: "restore", decisionId });
    expect(world.runtime.sandbox.counts()["SageMaker.CreateEndpoint"]).toBeUndefined();
    const ephemeral = world.runtime.workflow!.slack.messages().filter((m) => m.ephemeralTo === "U0MARIA");
    expect(ephemeral.at(-1)?.text).toMatch(/already restored/);
  });
});
