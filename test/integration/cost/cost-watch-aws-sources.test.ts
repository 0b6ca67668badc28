import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Logger } from "@aws-lambda-powertools/logger";
import type { ScheduledEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CostWatchHandlerDeps, costWatch, costWatchDepsFrom } from "../../../functions/cost-watch.ts";
import { demoCostConfig } from "../../../shared/cli/demo/cost-watch-step.ts";
import { type LocalRuntime, startLocalRuntime } from "../../../shared/local/runtime.ts";
import { WORKFLOW_LAMBDAS } from "../../../shared/local/workflow-lambdas.ts";
import type { JanitorConfig } from "../../../shared/policy/schema.ts";
import { resetWorkflowDeps, workflowDeps } from "../../../shared/runtime/workflow-deps.ts";
import { DynamoCostStore } from "../../../shared/store/dynamo-cost-store.ts";
import { demoScenario } from "../../fixtures/local.ts";
import { PEOPLE } from "../../fixtures/workflow.ts";

/**
 * Cost watch against the sandbox with AWS Budgets, Cost Anomaly Detection and resource-level
 * data on (the demo's config), plus a tightening on team nlp's budget: the real handler, the
 * sandbox's Cost Explorer and Budgets, dynalite, the local Slack.
 */
const NOW = new Date("2026-11-23T08:00:00Z");
const JOB_ARN = "arn:aws:sagemaker:us-east-1:123456789012:training-job/llm-finetune-overnight";
const AWS_ANOMALY = "9f1c2b7e-3d4a-4e8b-a1f0-6c5d2e8b7a10";
const event = JSON.parse(readFileSync("events/cost-watch/daily.json", "utf8")) as ScheduledEvent;

/** The demo config, and team nlp's budget tightens idle notebooks (1d, stop) to 12h past 75%. */
function withTightening(config: JanitorConfig): JanitorConfig {
  return {
    ...demoCostConfig(config),
    budgets: config.budgets.map((b) =>
      b.name === "team-nlp"
        ? {
            ...b,
            tighten: {
              atPercent: 75,
              gracePeriod: "12h",
              timeoutAction: "none",
              policies: ["idle-notebooks"],
            },
          }
        : b,
    ),
  };
}

describe("cost watch with AWS Budgets, Cost Anomaly Detection and resource-level data (sandbox)", () => {
  let runtime: LocalRuntime;
  let deps: CostWatchHandlerDeps;
  let store: DynamoCostStore;

  beforeAll(async () => {
    runtime = await startLocalRuntime({
      scenario: demoScenario(NOW),
      dataDir: mkdtempSync(join(tmpdir(), "janitor-cost-aws-")),
      tableName: "janitor-cost-aws-test",
      seedS3: false,
      workflow: {
        slackUsers: [...PEOPLE, { id: "U0SAM", name: "sam", email: "sam@example.com" }],
        lambdas: WORKFLOW_LAMBDAS,
        secondsPerDay: 1,
      },
    });
    process.env.JANITOR_CONFIG = resolve("janitor.yml");
    resetWorkflowDeps();
    const w = await workflowDeps();
    deps = {
      ...(await costWatchDepsFrom(
        { ...w, config: withTightening(w.config) },
        new Logger({ logLevel: "SILENT" }),
      )),
      now: () => NOW,
    };
    store = new DynamoCostStore({ client: w.clients.documents, tableName: runtime.tableName });
  });

  afterAll(async () => {
    resetWorkflowDeps();
    await runtime?.workflow?.stepFunctions.stop();
    await runtime?.close();
  });

  it("one alert per anomaly naming the billed job, AWS-only budgets evaluated, tightening recorded", async () => {
    const report = await costWatch(event, deps);

    // Backfill (5 pages) + the usage-type drill-down; one resource-level page; the account
    // budget's forecast; one GetAnomalies.
    expect(report.requests).toEqual({
      GetCostAndUsage: 6,
      GetCostAndUsageWithResources: 1,
      GetCostForecast: 1,
      GetAnomalies: 1,
    });

    // Ours and AWS's are the same anomaly: one alert, naming both.
    const fresh = report.anomalies.filter((a) => a.outcome === "new");
    expect(fresh).toHaveLength(1);
    expect(fresh[0]).toMatchObject({
      series: "service:Amazon SageMaker",
      firstDate: "2026-11-12",
      awsAnomalyId: AWS_ANOMALY,
    });
    expect(fresh[0]!.resourceNote).toBeUndefined();
    expect(fresh[0]!.drivers[0]!.resources).toEqual([
      expect.objectContaining({
        kind: "training-job",
        name: "llm-finetune-overnight",
        instanceCount: 4,
        owner: "sam@example.com",
        arn: JOB_ARN,
        costUsd: 1410.05,
      }),
    ]);
    const slack = runtime.workflow!.slack.messages();
    const alerts = slack.filter((m) => m.text.startsWith("Cost anomaly") && m.channelName === "#team-nlp");
    expect(alerts).toHaveLength(1);
    const blocks = JSON.stringify(alerts[0]!.blocks);
    expect(blocks).toContain(`$1,410 on 2026-11-22`);
    expect(blocks).toContain(JOB_ARN);
    expect(blocks).toContain(`Also flagged by AWS Cost Anomaly Detection`);

    // team-vision lives only in AWS Budgets ($3,000): its thresholds are evaluated like ours.
    const vision = report.budgetAlerts.find((b) => b.budget === "team-vision");
    expect(vision).toMatchObject({
      scope: "team:vision",
      percent: 75,
      basis: "actual",
      channels: ["#ml-janitor"],
    });
    expect(vision!.actualUsd).toBeGreaterThan(2250);
    expect(
      slack.filter(
        (m) => m.text === "Budget team-vision: Team vision has spent 75% of its budget for 2026-11",
      ),
    ).toHaveLength(1);

    // Team nlp passed 75%: tightened for November, and its alert says so.
    const nlp = report.budgetAlerts.find((b) => b.budget === "team-nlp");
    expect(nlp?.tightening).toBe("idle notebooks of team nlp now get 12 hours for an answer, until 1 Dec");
    expect(
      JSON.stringify(slack.find((m) => m.text.startsWith("Budget team-nlp: Team nlp has spent 75%"))?.blocks),
    ).toContain(
      ":lock: Janitor tightened: idle notebooks of team nlp now get 12 hours for an answer, until 1 Dec.",
    );
    expect(await store.tighteningsOf("2026-11")).toEqual([
      { month: "2026-11", scope: "team:nlp", budget: "team-nlp", percent: 75, at: NOW.toISOString() },
    ]);
    expect(await store.tighteningsOf("2026-12")).toEqual([]);
  });

  it("a rerun sends nothing, asks no resource-level data, and records nothing twice", async () => {
    const before = runtime.workflow!.slack.messages().length;
    const again = await costWatch(event, deps);
    expect(again.messages).toBe(0);
    expect(again.budgetAlerts).toEqual([]);
    expect(again.anomalies.map((a) => a.outcome)).toEqual(["seen"]);
    expect(again.requests).toEqual({
      GetCostAndUsage: 2,
      GetCostAndUsageWithResources: 0,
      GetCostForecast: 1,
      GetAnomalies: 1,
    });
    expect(runtime.workflow!.slack.messages()).toHaveLength(before);
    expect(await store.tighteningsOf("2026-11")).toHaveLength(1);
  });
});
