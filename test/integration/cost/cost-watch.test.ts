import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Logger } from "@aws-lambda-powertools/logger";
import type { ScheduledEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CostWatchHandlerDeps, costWatch, costWatchDepsFrom } from "../../../functions/cost-watch.ts";
import { interactions } from "../../../functions/interactions.ts";
import { describeMonthlyCostBudgets } from "../../../shared/aws/budgets.ts";
import { AwsClients } from "../../../shared/aws/clients.ts";
import { costAnomalies } from "../../../shared/aws/cost-explorer.ts";
import { type LocalRuntime, startLocalRuntime } from "../../../shared/local/runtime.ts";
import { signedInteractionEvent } from "../../../shared/local/slack/clicks.ts";
import { WORKFLOW_LAMBDAS } from "../../../shared/local/workflow-lambdas.ts";
import { resetWorkflowDeps, workflowDeps } from "../../../shared/runtime/workflow-deps.ts";
import { ACTION } from "../../../shared/slack/action-ids.ts";
import { DynamoCostStore } from "../../../shared/store/dynamo-cost-store.ts";
import { demoScenario } from "../../fixtures/local.ts";
import { PEOPLE } from "../../fixtures/workflow.ts";

/** The demo account as of this morning: the overnight job has run 11 days. */
const NOW = new Date("2026-11-23T08:00:00Z");
const event = JSON.parse(readFileSync("events/cost-watch/daily.json", "utf8")) as ScheduledEvent;

describe("cost watch on the demo account (sandbox + dynalite + local Slack)", () => {
  let runtime: LocalRuntime;
  let deps: CostWatchHandlerDeps;

  beforeAll(async () => {
    runtime = await startLocalRuntime({
      scenario: demoScenario(NOW),
      dataDir: mkdtempSync(join(tmpdir(), "janitor-cost-")),
      tableName: "janitor-cost-test",
      seedS3: false,
      workflow: {
        slackUsers: [...PEOPLE, { id: "U0SAM", name: "sam", email: "sam@example.com" }],
        lambdas: WORKFLOW_LAMBDAS,
        secondsPerDay: 1,
      },
    });
    process.env.JANITOR_CONFIG = resolve("janitor.yml");
    resetWorkflowDeps();
    deps = {
      ...(await costWatchDepsFrom(await workflowDeps(), new Logger({ logLevel: "SILENT" }))),
      now: () => NOW,
    };
  });

  afterAll(async () => {
    resetWorkflowDeps();
    await runtime?.workflow?.stepFunctions.stop();
    await runtime?.close();
  });

  it("traces the spike to llm-finetune-overnight and sam, and sends the 75% budget alert once", async () => {
    const report = await costWatch(event, deps);

    // Backfill of 90 days: one query per grouping (SERVICE×team, project), 5 pages between
    // them at the sandbox's page size; one drill-down; the account budget's forecast.
    // The shipped janitor.yml: resource-level data and the AWS-side sources are off.
    expect(report.requests).toEqual({
      GetCostAndUsage: 6,
      GetCostAndUsageWithResources: 0,
      GetCostForecast: 1,
      GetAnomalies: 0,
    });
    const fresh = report.anomalies.filter((a) => a.outcome === "new");
    expect(fresh).toHaveLength(1);
    const [spike] = fresh;
    expect(spike).toMatchObject({ series: "service:Amazon SageMaker", date: "2026-11-22" });
    expect(spike!.firstDate).toBe("2026-11-12");
    expect(spike!.impactUsd).toBeGreaterThan(14_000);
    expect(spike!.drivers[0]).toMatchObject({
      usageType: "USE1-Train:ml.p3.8xlarge",
      tags: { team: "nlp" },
      resources: [
        { kind: "training-job", name: "llm-finetune-overnight", instanceCount: 4, owner: "sam@example.com" },
      ],
    });

    const nlp = report.budgetAlerts.find((b) => b.budget === "team-nlp");
    expect(nlp).toMatchObject({
      percent: 75,
      basis: "actual",
      channels: ["#team-nlp"],
      mentions: ["<@U0LEAD>"],
    });

    const slack = runtime.workflow!.slack.messages();
    const alert = slack.find((m) => m.text.includes("Cost anomaly") && m.channelName === "#team-nlp");
    expect(alert?.text).toContain("Amazon SageMaker");
    // …and sam hears it directly.
    expect(slack.some((m) => m.channelName === "@sam" && m.text.includes("Cost anomaly"))).toBe(true);
    expect(JSON.stringify(alert)).toContain("llm-finetune-overnight");
    // "Open finding" links to the job behind the spend.
    expect(JSON.stringify(alert?.blocks)).toContain(
      "sagemaker/home?region=us-east-1#/jobs/llm-finetune-overnight",
    );
    expect(slack.filter((m) => m.text.includes("Team nlp has spent 75%"))).toHaveLength(1);

    // A rerun the same morning: nothing fetched but the days not final, nothing sent.
    const before = runtime.workflow!.slack.messages().length;
    const again = await costWatch(event, deps);
    expect(again.messages).toBe(0);
    expect(again.budgetAlerts).toEqual([]);
    expect(again.anomalies.map((a) => a.outcome)).toEqual(["seen"]);
    expect(again.requests.GetCostAndUsage).toBe(2);
    expect(runtime.workflow!.slack.messages()).toHaveLength(before);
  });

  it("'Expected spend': only an owner (or approver) may acknowledge; then the new level stops alerting", async () => {
    const store = new DynamoCostStore({
      client: (await workflowDeps()).clients.documents,
      tableName: runtime.tableName,
    });
    const open = await store.openAnomaly("service:Amazon SageMaker");
    expect(open?.ownerUserIds).toEqual(["U0SAM"]);
    const press = (userId: string) =>
      interactions(
        signedInteractionEvent({
          payload: {
            type: "block_actions",
            user: { id: userId, username: userId, team_id: "T0LOCAL" },
            team: { id: "T0LOCAL" },
            actions: [{ action_id: ACTION.ackAnomaly, type: "button", value: open!.id }],
          },
          signingSecret: runtime.workflow!.signingSecret,
        }),
      );

    const refused = await press("U0EVE");
    expect(JSON.parse(refused.body ?? "{}").text).toMatch(/Only an owner/);
    expect(await store.acknowledgements()).toEqual(new Map());

    const ok = await press("U0SAM");
    expect(ok.statusCode).toBe(200);
    const acks = await store.acknowledgements();
    expect(acks.get("service:Amazon SageMaker")).toMatchObject({ fromDate: "2026-11-12" });
    const thread = runtime.workflow!.slack.messages().filter((m) => m.threadTs === open!.ts);
    expect(thread.at(-1)?.text).toMatch(/acknowledged this as expected spend/);

    const next = await costWatch(event, { ...deps, now: () => new Date("2026-11-24T08:00:00Z") });
    expect(
      next.anomalies.filter((a) => a.series === "service:Amazon SageMaker" && a.outcome === "new"),
    ).toEqual([]);
  });

  it("reads the demo's AWS Budgets budget and Cost Anomaly Detection anomaly from the sandbox", async () => {
    const clients = new AwsClients({ region: "us-east-1" });
    try {
      const accountId = runtime.sandbox.scenario.accountId;
      expect(await describeMonthlyCostBudgets(clients.budgets, accountId)).toEqual([
        { name: "team-vision", limitUsd: 3000, costFilters: { TagKeyValue: ["user:team$vision"] } },
      ]);
      expect(await costAnomalies(clients.costExplorer, { start: "2026-11-20", end: "2026-11-23" })).toEqual({
        anomalies: [
          {
            id: "9f1c2b7e-3d4a-4e8b-a1f0-6c5d2e8b7a10",
            startDate: "2026-11-12",
            endDate: "2026-11-22",
            services: ["Amazon SageMaker"],
            usageTypes: ["USE1-Train:ml.p3.8xlarge"],
            totalImpactUsd: 15_510,
            expectedUsd: 8900,
            actualUsd: 24_410,
          },
        ],
        requests: 1,
      });
      // Outside its interval: not returned.
      expect(
        (await costAnomalies(clients.costExplorer, { start: "2026-10-01", end: "2026-11-01" })).anomalies,
      ).toEqual([]);
    } finally {
      clients.destroy();
    }
  });
});
