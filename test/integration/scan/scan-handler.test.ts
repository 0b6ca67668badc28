/**
 * The scan Lambda handler against the whole local runtime (sandbox account, dynalite):
 * what it records, that a rerun records nothing twice, and that throttling changes nothing.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Logger } from "@aws-lambda-powertools/logger";
import type { ScheduledEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import nightly from "../../../events/scan/nightly.json" with { type: "json" };
import { scan } from "../../../functions/scan.ts";
import { AwsClients } from "../../../shared/aws/clients.ts";
import { idleEndpoint } from "../../../shared/detectors/idle-endpoint.ts";
import { type LocalRuntime, startLocalRuntime } from "../../../shared/local/runtime.ts";
import { loadConfig, parseConfig } from "../../../shared/policy/load-config.ts";
import { runScan } from "../../../shared/scan/run-scan.ts";
import { DynamoStore } from "../../../shared/store/dynamo-store.ts";
import { demoScenario } from "../../fixtures/local.ts";

const now = new Date();
let runtime: LocalRuntime;
let clients: AwsClients;
let store: DynamoStore;

beforeAll(async () => {
  runtime = await startLocalRuntime({
    scenario: demoScenario(now),
    dataDir: mkdtempSync(join(tmpdir(), "janitor-scan-")),
    tableName: "janitor-scan-test",
    seedS3: false,
  });
  clients = new AwsClients({ region: "us-east-1" });
  store = new DynamoStore({ client: clients.documents, tableName: runtime.tableName });
});
afterAll(async () => {
  clients?.destroy();
  await runtime?.close();
});

function event(time: string): ScheduledEvent {
  return { ...(structuredClone(nightly) as ScheduledEvent), time };
}

/** Only idle endpoints, so the counts below are about the store, not about every detector. */
const IDLE_ONLY = parseConfig("version: 1\npolicies:\n  - { name: idle-endpoints, type: idle-endpoint }\n");

async function deps() {
  return {
    config: IDLE_ONLY,
    clients,
    store,
    now: () => now,
    logger: new Logger({ logLevel: "SILENT" }),
  };
}

describe("scan handler", () => {
  it("records each finding once, and a redelivered event records nothing new", async () => {
    const d = await deps();
    const first = await scan(event("2026-11-23T02:00:00Z"), d);
    expect(first.scanId).toBe("scheduled-20261123T020000Z");
    expect(first.findings).toBe(3);
    expect(first.recorded.opened).toHaveLength(3);
    const auditAfterFirst = await store.listAudit();

    const again = await scan(event("2026-11-23T02:00:00Z"), d);
    expect(again.recorded.opened).toEqual([]);
    expect(again.recorded.alreadyRecorded.sort()).toEqual([...first.recorded.opened].sort());
    expect(await store.listAudit()).toHaveLength(auditAfterFirst.length);

    const open = await store.listFindings({ status: "open" });
    expect(open.map((f) => f.finding.resource.id).sort()).toEqual([
      "churn-predictor-legacy",
      "fraud-scorer-v1",
      "vision-idle-zeros",
    ]);
    expect(open.every((f) => f.timesSeen === 1)).toBe(true);

    const nextNight = await scan(event("2026-11-24T02:00:00Z"), d);
    expect(nextNight.recorded.seenAgain).toHaveLength(3);
    expect((await store.getFinding(first.recorded.opened[0]!))!.timesSeen).toBe(2);
  });

  it("gives the same findings when a third of the calls are throttled, and retries them", async () => {
    const config = parseConfig("version: 1\npolicies:\n  - { name: idle, type: idle-endpoint }\n");
    const clean = await runScan({ config, clients, now });
    runtime.sandbox.resetCounts();
    runtime.sandbox.setKnobs({ throttleRate: 0.34, seed: 7 });
    try {
      const throttled = await runScan({ config, clients: new AwsClients({ region: "us-east-1" }), now });
      expect(runtime.sandbox.counts().throttled).toBeGreaterThan(0);
      expect(throttled.errors).toEqual([]);
      expect(throttled.findings).toEqual(clean.findings);
    } finally {
      runtime.sandbox.setKnobs({ throttleRate: 0 });
    }
  });

  it("keeps reporting the other policies when one detector run fails", async () => {
    const config = parseConfig(`version: 1
policies:
  - { name: idle-14, type: idle-endpoint }
  - { name: idle-30, type: idle-endpoint, params: { windowDays: 30 } }
`);
    const real = idleEndpoint.detect.bind(idleEndpoint);
    const spy = vi.spyOn(idleEndpoint, "detect").mockImplementation((inv, metrics, ctx) => {
      if (ctx.policy === "idle-14") throw new Error("boom");
      return real(inv, metrics, ctx);
    });
    try {
      const report = await runScan({ config, clients, now });
      expect(report.errors).toEqual([{ detector: "idle-endpoint", message: "idle-14: boom" }]);
      expect(report.findings.length).toBeGreaterThan(0);
      expect(report.findings.every((f) => f.policy === "idle-30")).toBe(true);
    } finally {
      spy.mockRestore();
    }
  });

  it("reads the whole demo account with bulk calls only: no per-resource describes or metric calls", async () => {
    runtime.sandbox.resetCounts();
    const report = await runScan({ config: await loadConfig("janitor.yml"), clients, now });
    expect(report.errors).toEqual([]);
    const counts = runtime.sandbox.counts();
    // One GetMetricData per distinct time window (14-day, 7-day, …), never one per resource.
    expect(counts["CloudWatch.GetMetricData"]).toBeLessThanOrEqual(4);
    expect(counts["CloudWatch.GetMetricStatistics"]).toBeUndefined();
    expect(counts["SageMaker.DescribeEndpoint"]).toBeUndefined();
    expect(counts["SageMaker.ListEndpoints"]).toBeUndefined();
    expect(counts["SageMaker.DescribeNotebookInstance"]).toBeUndefined();
    expect(counts["SageMaker.DescribeTrainingJob"]).toBeUndefined();
  });
});
