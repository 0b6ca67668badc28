/**
 * The safety rails of the cleanup workflow, end to end: timeouts, the re-check that spares a
 * resource used again, a failing action, and requests that must change nothing.
 */
import { afterEach, describe, expect, it } from "vitest";
import { interactions } from "../../../functions/interactions.ts";
import { interactionPayload, signedInteractionEvent } from "../../../shared/local/slack/clicks.ts";
import { startWorld, until, type World, workflowConfig } from "../../fixtures/workflow.ts";

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const exists = (w: World, name: string) =>
  w.runtime.sandbox.scenario.sagemaker.endpoints.some((e) => e.name === name);
const statusOf = async (w: World, endpoint: string) =>
  (await w.store.getFinding(await w.findingIdOf(endpoint)))?.status;

describe("no answer by the deadline", () => {
  it("in notify mode: reminds once, then does nothing and says so", async () => {
    world = await startWorld(workflowConfig({ mode: "notify", timeoutAction: "none", grace: "2d" }));
    await world.scanNight();
    await world.runtime.workflow!.stepFunctions.idle();
    expect(exists(world, "fraud-scorer-v1")).toBe(true);
    expect(world.runtime.sandbox.counts()["SageMaker.DeleteEndpoint"]).toBeUndefined();
    const msgs = world.runtime.workflow!.slack.messages().filter((m) => m.channelName === "@maria");
    expect(msgs.filter((m) => m.threadTs)).toHaveLength(1); // one reminder, no daily nags
    expect(await statusOf(world, "fraud-scorer-v1")).toBe("open");
    const again = await world.scanNight("2026-11-24T02:00:00Z");
    expect(again.workflows?.started).toEqual([]); // quiet for a grace period: no nagging every night
  });

  it("in notify mode an approve (even a crafted one: no button is offered) acts on nothing", async () => {
    world = await startWorld(workflowConfig({ mode: "notify", timeoutAction: "none", grace: "30d" }));
    await world.scanNight();
    await world.waitForNotices(3);
    await world.click("maria", { kind: "approve", decisionId: await world.decisionIdOf("fraud-scorer-v1") });
    await world.settled("fraud-scorer-v1");
    expect(exists(world, "fraud-scorer-v1")).toBe(true);
    expect(world.runtime.sandbox.counts()["SageMaker.DeleteEndpoint"]).toBeUndefined();
    expect(await statusOf(world, "fraud-scorer-v1")).toBe("open");
  });

  it("in enforce mode: the explicit timeout action runs after the re-check", async () => {
    world = await startWorld(workflowConfig({ mode: "enforce", timeoutAction: "delete", grace: "2d" }));
    await world.scanNight();
    await world.runtime.workflow!.stepFunctions.idle();
    expect(exists(world, "fraud-scorer-v1")).toBe(false);
    expect(await statusOf(world, "fraud-scorer-v1")).toBe("acted");
    expect(await world.store.getDecision(await world.decisionIdOf("fraud-scorer-v1"))).toMatchObject({
      kind: "timeout",
    });
  });

  it("stops at the blast-radius cap: the rest wait for another day", async () => {
    world = await startWorld(
      workflowConfig({ mode: "enforce", timeoutAction: "delete", grace: "2d", cap: 1 }),
    );
    await world.scanNight();
    await until(
      () => world!.runtime.sandbox.counts()["SageMaker.DeleteEndpoint"] === 1,
      "exactly one deletion",
    );
    const idle = ["fraud-scorer-v1", "churn-predictor-legacy", "vision-idle-zeros"];
    const statusesNow = () => Promise.all(idle.map((e) => statusOf(world!, e)));
    await until(async () => (await statusesNow()).includes("acted"), "the deletion to be reported");
    // The deferred ones keep re-checking (a day is 200 ms locally) and must not delete anything.
    await new Promise((r) => setTimeout(r, 1500));
    expect(world.runtime.sandbox.counts()["SageMaker.DeleteEndpoint"]).toBe(1);
    const statuses = await statusesNow();
    expect(statuses.filter((s) => s === "acted")).toHaveLength(1);
    expect(statuses.filter((s) => s === "notified")).toHaveLength(2); // deferred, re-checked again tomorrow
  });
});

describe("re-check before acting", () => {
  it("cancels when the endpoint was used after the notice, and says so in the thread", async () => {
    world = await startWorld(workflowConfig({ mode: "enforce", timeoutAction: "delete", grace: "30d" }));
    await world.scanNight();
    await world.waitForNotices(3);
    const now = Date.now();
    world.runtime.sandbox.scenario.metrics.push({
      namespace: "AWS/SageMaker",
      metricName: "Invocations",
      dimensions: { EndpointName: "fraud-scorer-v1", VariantName: "AllTraffic" },
      points: [{ t: now - 3_600_000, v: 42 }],
    });
    const decisionId = await world.decisionIdOf("fraud-scorer-v1");
    await world.click("maria", { kind: "approve", decisionId });
    const thread = () =>
      world!.runtime.workflow!.slack.messages().filter((m) => m.channelName === "@maria" && m.threadTs);
    await until(() => thread().length > 0, "the cancellation note");
    expect(await statusOf(world, "fraud-scorer-v1")).toBe("open");
    expect(exists(world, "fraud-scorer-v1")).toBe(true);
    expect(world.runtime.sandbox.counts()["SageMaker.DeleteEndpoint"]).toBeUndefined();
    expect(thread().at(-1)?.text).toMatch(/42 invocations/);
  });
});

describe("an action that fails", () => {
  it("ends in the Fail state, tells the thread and the ops channel, and leaves the finding open", async () => {
    world = await startWorld(workflowConfig({ mode: "enforce", timeoutAction: "delete", grace: "30d" }));
    await world.scanNight();
    await world.waitForNotices(3);
    world.runtime.sandbox.setKnobs({ failOperations: ["SageMaker.DeleteEndpoint"] });
    const decisionId = await world.decisionIdOf("churn-predictor-legacy");
    await world.click("dev", { kind: "approve", decisionId });
    const executions = world.runtime.workflow!.stepFunctions.executions;
    const name = (await world.store.getFinding(await world.findingIdOf("churn-predictor-legacy")))!
      .executionName!;
    await until(() => executions.get(name)?.status === "FAILED", "the execution to fail", 60_000);
    expect(executions.get(name)!.error).toMatch(/CleanupFailed/);
    const ops = world.runtime.workflow!.slack.messages().filter((m) => m.channelName === "#ml-janitor-ops");
    expect(ops).toHaveLength(1);
    expect(await statusOf(world, "churn-predictor-legacy")).toBe("open");
    expect(exists(world, "churn-predictor-legacy")).toBe(true);
  }, 90_000);
});

describe("requests that change nothing", () => {
  async function send(
    w: World,
    tweak: Parameters<typeof signedInteractionEvent>[0]["signWith"],
    rawBody?: string,
  ) {
    const decisionId = await w.decisionIdOf("fraud-scorer-v1");
    const payload = interactionPayload({ kind: "approve", decisionId }, { userId: "U0MARIA" });
    return interactions(
      signedInteractionEvent({
        payload,
        signingSecret: w.runtime.workflow!.signingSecret,
        ...(tweak ? { signWith: tweak } : {}),
        ...(rawBody ? { rawBody } : {}),
      }),
    );
  }

  it("answers a forged signature, a stale timestamp and a malformed body without deciding anything", async () => {
    world = await startWorld(workflowConfig({ mode: "enforce", timeoutAction: "delete", grace: "30d" }));
    await world.scanNight();
    await world.waitForNotices(3);
    const decisionId = await world.decisionIdOf("fraud-scorer-v1");

    expect((await send(world, { secret: "not-the-secret" })).statusCode).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    expect((await send(world, { timestamp: stale })).statusCode).toBe(401);
    expect((await send(world, undefined, "payload=%7Bnot-json")).statusCode).toBe(400);
    expect((await send(world, undefined, "payload=%7B%22type%22%3A%22block_actions%22%7D")).statusCode).toBe(
      400,
    );

    expect(await world.store.getDecision(decisionId)).toBeUndefined();
    expect(await statusOf(world, "fraud-scorer-v1")).toBe("notified");
    expect(exists(world, "fraud-scorer-v1")).toBe(true);
  });
});
