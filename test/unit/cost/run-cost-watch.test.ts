import {
  CostExplorerClient,
  GetAnomaliesCommand,
  GetCostAndUsageCommand,
  GetCostAndUsageWithResourcesCommand,
  GetCostForecastCommand,
} from "@aws-sdk/client-cost-explorer";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { addDays } from "../../../shared/cost/dates.ts";
import { runCostWatch } from "../../../shared/cost/run-cost-watch.ts";
import { parseConfig } from "../../../shared/policy/load-config.ts";
import type { SlackApi } from "../../../shared/slack/client.ts";
import { MemoryCostStore } from "../../fixtures/cost-store.ts";

const ce = mockClient(CostExplorerClient);
const client = new CostExplorerClient({ region: "us-east-1" });

/** nlp spends $100/day on SageMaker; budget $3,000/month, so 25% ≈ day 8, 50% ≈ 15, 75% ≈ 23. */
const config = parseConfig(`
version: 1
slack:
  defaultChannel: "#ml-janitor"
  teamChannels: { nlp: "#nlp" }
budgets:
  - name: nlp-monthly
    scope: { team: nlp }
    monthlyUsd: 3000
    forecast: true
    escalation:
      - { atPercent: 50, notify: ["#nlp"] }
      - { atPercent: 75, notify: ["lead@example.com"] }
      - { atPercent: 100, notify: ["#leadership"] }
`);

function answer() {
  ce.on(GetCostAndUsageCommand).callsFake((input: { TimePeriod: { Start: string; End: string } }) => {
    const results = [];
    for (let d = input.TimePeriod.Start; d < input.TimePeriod.End; d = addDays(d, 1)) {
      results.push({
        TimePeriod: { Start: d, End: addDays(d, 1) },
        Groups: [{ Keys: ["Amazon SageMaker", "team$nlp"], Metrics: { UnblendedCost: { Amount: "100" } } }],
      });
    }
    return { ResultsByTime: results };
  });
  // Cost Explorer has no forecast: our own model is used.
  ce.on(GetCostForecastCommand).rejects(
    Object.assign(new Error("no data"), { name: "DataUnavailableException" }),
  );
}

function fakeSlack() {
  const posts: Array<{ channel: string; text: string; threadTs?: string }> = [];
  const slack: SlackApi = {
    postMessage: async (m) => {
      posts.push(m);
      return { channel: m.channel, ts: `${posts.length}.0` };
    },
    updateMessage: async (m) => ({ channel: m.channel, ts: m.ts }),
    postEphemeral: async () => ({ messageTs: "1" }),
    lookupUserByEmail: async (email) => ({
      id: email === "lead@example.com" ? "ULEAD" : "UX",
      deleted: false,
    }),
    openDirectMessage: async (userId) => ({ channel: `D${userId}` }),
    openView: async () => ({ viewId: "V1" }),
    listUserGroupMembers: async () => [],
  };
  return { slack, posts };
}

describe("runCostWatch: budget thresholds across a month", () => {
  beforeEach(() => {
    ce.reset();
    answer();
  });

  it("announces each quarter once, escalates up the ladder, ignores reruns and resets at rollover", async () => {
    const store = new MemoryCostStore();
    const { slack, posts } = fakeSlack();
    const fired: string[] = [];
    for (let day = 1; day <= 35; day++) {
      const now = new Date(Date.UTC(2026, 9, day, 8)); // Oct 1 … Nov 4
      for (let run = 0; run < 2; run++) {
        const report = await runCostWatch({
          config,
          costExplorer: client,
          accountId: "111122223333",
          store,
          slack,
          inventory: async () => ({}),
          now,
        });
        for (const a of report.budgetAlerts)
          fired.push(`${now.toISOString().slice(0, 10)} ${a.percent} ${a.basis}`);
        if (run === 1) expect(report.budgetAlerts).toEqual([]);
        expect(report.anomalies.filter((a) => a.outcome === "new")).toEqual([]);
      }
    }
    // Forecast on: the flat $100/day projects ~$3,100 from the start, so forecast alerts come
    // first (lowest → highest in one go = only the highest said), then actuals as they land.
    expect(fired).toEqual([
      "2026-10-01 100 forecast",
      "2026-10-09 25 actual",
      "2026-10-16 50 actual",
      "2026-10-24 75 actual",
      "2026-10-31 100 actual",
      // Rollover: November starts from nothing, and its forecast is over budget again.
      "2026-11-01 100 forecast",
    ]);
    const seventyFive = posts.find((p) => p.text.includes("75%"))!;
    expect(posts.filter((p) => p.text === seventyFive.text).map((p) => p.channel)).toEqual(["#nlp"]);
    expect(seventyFive.text).toContain("Team nlp has spent 75% of its budget for 2026-10");
  });

  it("sends the exact Cost Explorer requests: two GetCostAndUsage and one forecast a day", async () => {
    const store = new MemoryCostStore();
    const { slack } = fakeSlack();
    const deps = { config, costExplorer: client, accountId: "1", store, slack, inventory: async () => ({}) };
    const first = await runCostWatch({ ...deps, now: new Date("2026-11-23T08:00:00Z") });
    expect(first.requests).toEqual({
      GetCostAndUsage: 2,
      GetCostAndUsageWithResources: 0,
      GetCostForecast: 1,
      GetAnomalies: 0,
    });
    expect(ce).toHaveReceivedCommandWith(GetCostForecastCommand, {
      TimePeriod: { Start: "2026-11-23", End: "2026-12-01" },
      Granularity: "MONTHLY",
      Metric: "UNBLENDED_COST",
      Filter: { Tags: { Key: "team", Values: ["nlp"] } },
    });
    ce.resetHistory();
    const next = await runCostWatch({ ...deps, now: new Date("2026-11-24T08:00:00Z") });
    expect(next.requests.GetCostAndUsage).toBe(2);
    expect(next.fetchedFrom).toBe("2026-11-20");
  });
});

describe("runCostWatch: AWS Cost Anomaly Detection", () => {
  it("merges AWS's anomaly with ours: one alert, naming both", async () => {
    ce.reset();
    ce.on(GetCostAndUsageCommand).callsFake((input: { TimePeriod: { Start: string; End: string } }) => {
      const results = [];
      for (let d = input.TimePeriod.Start; d < input.TimePeriod.End; d = addDays(d, 1)) {
        const usd = d >= "2026-11-21" ? 1500 : 100 * (1 + 0.02 * Math.sin(d.charCodeAt(9)));
        results.push({
          TimePeriod: { Start: d, End: addDays(d, 1) },
          Groups: [
            { Keys: ["Amazon SageMaker", "team$nlp"], Metrics: { UnblendedCost: { Amount: String(usd) } } },
          ],
        });
      }
      return { ResultsByTime: results };
    });
    ce.on(GetCostForecastCommand).resolves({ Total: { Amount: "100", Unit: "USD" } });
    ce.on(GetAnomaliesCommand).resolves({
      Anomalies: [
        {
          AnomalyId: "aws-anomaly-1",
          AnomalyStartDate: "2026-11-21",
          DimensionValue: "Amazon SageMaker",
          RootCauses: [{ Service: "Amazon SageMaker", UsageType: "USE1-Train:ml.p3.8xlarge" }],
          AnomalyScore: { MaxScore: 0.9, CurrentScore: 0.9 },
          Impact: { MaxImpact: 1400, TotalImpact: 2800 },
          MonitorArn: "arn:aws:ce::1:anomalymonitor/m",
        },
      ],
    });
    const { slack, posts } = fakeSlack();
    const report = await runCostWatch({
      config: { ...config, budgets: [], costWatch: { ...config.costWatch, awsAnomalyDetection: true } },
      costExplorer: client,
      accountId: "1",
      store: new MemoryCostStore(),
      slack,
      inventory: async () => ({}),
      now: new Date("2026-11-23T08:00:00Z"),
    });
    expect(ce).toHaveReceivedCommandWith(GetAnomaliesCommand, {
      DateInterval: { StartDate: "2026-11-20", EndDate: "2026-11-23" },
    });
    expect(report.requests.GetAnomalies).toBe(1);
    expect(report.anomalies).toHaveLength(1);
    expect(report.anomalies[0]).toMatchObject({
      series: "service:Amazon SageMaker",
      firstDate: "2026-11-21",
      awsAnomalyId: "aws-anomaly-1",
      outcome: "new",
    });
    const alerts = posts.filter((p) => p.text.startsWith("Cost anomaly"));
    expect(alerts.map((p) => p.channel)).toEqual(["#nlp"]);
  });
});

describe("runCostWatch: an anomaly only AWS saw", () => {
  it("is alerted once, with AWS's figures per day, and not again on a rerun", async () => {
    ce.reset();
    // Flat spend: our detector sees nothing.
    ce.on(GetCostAndUsageCommand).callsFake((input: { TimePeriod: { Start: string; End: string } }) => {
      const results = [];
      for (let d = input.TimePeriod.Start; d < input.TimePeriod.End; d = addDays(d, 1)) {
        results.push({
          TimePeriod: { Start: d, End: addDays(d, 1) },
          Groups: [{ Keys: ["Amazon EC2", "team$vision"], Metrics: { UnblendedCost: { Amount: "100" } } }],
        });
      }
      return { ResultsByTime: results };
    });
    ce.on(GetCostForecastCommand).resolves({ Total: { Amount: "100", Unit: "USD" } });
    ce.on(GetAnomaliesCommand).resolves({
      Anomalies: [
        {
          AnomalyId: "aws-only-1",
          AnomalyStartDate: "2026-11-21",
          AnomalyEndDate: "2026-11-22",
          DimensionValue: "AWS Lambda",
          RootCauses: [{ Service: "AWS Lambda", UsageType: "USE1-Request" }],
          AnomalyScore: { MaxScore: 0.8, CurrentScore: 0.8 },
          Impact: { MaxImpact: 60, TotalImpact: 100, TotalExpectedSpend: 20, TotalActualSpend: 120 },
          MonitorArn: "arn:aws:ce::1:anomalymonitor/m",
        },
      ],
    });
    const { slack, posts } = fakeSlack();
    const store = new MemoryCostStore();
    const run = () =>
      runCostWatch({
        config: { ...config, budgets: [], costWatch: { ...config.costWatch, awsAnomalyDetection: true } },
        costExplorer: client,
        accountId: "1",
        store,
        slack,
        inventory: async () => ({}),
        now: new Date("2026-11-23T08:00:00Z"),
      });
    const report = await run();
    expect(report.anomalies).toHaveLength(1);
    expect(report.anomalies[0]).toMatchObject({
      series: "service:AWS Lambda",
      firstDate: "2026-11-21",
      awsAnomalyId: "aws-only-1",
      source: "aws",
      impactUsd: 100,
      verdict: { actualUsd: 60, expectedUsd: 10, impactUsd: 50 },
    });
    const alerts = posts.filter((p) => p.text.startsWith("Cost anomaly"));
    expect(alerts).toHaveLength(1);
    expect(JSON.stringify(alerts[0])).toContain("Found by AWS Cost Anomaly Detection");

    const again = await run();
    expect(again.anomalies).toEqual([]);
    expect(posts.filter((p) => p.text.startsWith("Cost anomaly"))).toHaveLength(1);

    // The next day AWS still reports it (ended yesterday): one update in the alert's thread.
    ce.on(GetAnomaliesCommand).resolves({
      Anomalies: [
        {
          AnomalyId: "aws-only-1",
          AnomalyStartDate: "2026-11-21",
          AnomalyEndDate: "2026-11-23",
          DimensionValue: "AWS Lambda",
          RootCauses: [{ Service: "AWS Lambda", UsageType: "USE1-Request" }],
          AnomalyScore: { MaxScore: 0.8, CurrentScore: 0.8 },
          Impact: { MaxImpact: 60, TotalImpact: 150, TotalExpectedSpend: 30, TotalActualSpend: 180 },
          MonitorArn: "arn:aws:ce::1:anomalymonitor/m",
        },
      ],
    });
    const before = posts.length;
    const nextDay = await runCostWatch({
      config: { ...config, budgets: [], costWatch: { ...config.costWatch, awsAnomalyDetection: true } },
      costExplorer: client,
      accountId: "1",
      store,
      slack,
      inventory: async () => ({}),
      now: new Date("2026-11-24T08:00:00Z"),
    });
    expect(nextDay.anomalies).toMatchObject([
      { outcome: "continued", awsAnomalyId: "aws-only-1", date: "2026-11-23", impactUsd: 150 },
    ]);
    const update = posts.slice(before);
    expect(update).toHaveLength(1);
    expect(update[0]).toMatchObject({ threadTs: "1.0" });
    expect(update[0]!.text).toBe("2026-11-23: still $60 vs $10 expected; impact so far $150.");
  });
});

describe("runCostWatch: resource-level drill-down", () => {
  function spike() {
    ce.reset();
    ce.on(GetCostAndUsageCommand).callsFake((input: { TimePeriod: { Start: string; End: string } }) => {
      const results = [];
      for (let d = input.TimePeriod.Start; d < input.TimePeriod.End; d = addDays(d, 1)) {
        const usd = d >= "2026-11-22" ? 1500 : 100 * (1 + 0.02 * Math.sin(d.charCodeAt(9)));
        results.push({
          TimePeriod: { Start: d, End: addDays(d, 1) },
          Groups: [
            { Keys: ["Amazon SageMaker", "team$nlp"], Metrics: { UnblendedCost: { Amount: String(usd) } } },
          ],
        });
      }
      return { ResultsByTime: results };
    });
  }
  const run = (resourceLevel: boolean, posts: SlackApi) =>
    runCostWatch({
      config: { ...config, budgets: [], costWatch: { ...config.costWatch, resourceLevel } },
      costExplorer: client,
      accountId: "1",
      store: new MemoryCostStore(),
      slack: posts,
      inventory: async () => ({}),
      now: new Date("2026-11-23T08:00:00Z"),
    });

  it("counts the resource-level request and, when the data is unavailable, says so once in the alert", async () => {
    spike();
    ce.on(GetCostAndUsageWithResourcesCommand).rejects(
      Object.assign(new Error("not enabled"), { name: "DataUnavailableException" }),
    );
    const { slack, posts } = fakeSlack();
    const report = await run(true, slack);
    expect(report.requests).toEqual({
      GetCostAndUsage: 3,
      GetCostAndUsageWithResources: 1,
      GetCostForecast: 0,
      GetAnomalies: 0,
    });
    expect(ce).toHaveReceivedCommandWith(GetCostAndUsageWithResourcesCommand, {
      TimePeriod: { Start: "2026-11-22", End: "2026-11-23" },
      Filter: { Dimensions: { Key: "SERVICE", Values: ["Amazon SageMaker"] } },
    });
    const note =
      "Resource-level cost data is unavailable (resource-level data is not enabled in the Cost Explorer settings): resources are matched by instance type.";
    expect(report.anomalies[0]?.resourceNote).toBe(note);
    const alert = posts.find((p) => p.text.startsWith("Cost anomaly"))!;
    expect(JSON.stringify(alert).split(note)).toHaveLength(2);
  });

  it("sends no resource-level request when resourceLevel is off (the default)", async () => {
    spike();
    const { slack } = fakeSlack();
    const report = await run(false, slack);
    expect(report.requests.GetCostAndUsageWithResources).toBe(0);
    expect(ce).toHaveReceivedCommandTimes(GetCostAndUsageWithResourcesCommand, 0);
    expect(report.anomalies[0]?.resourceNote).toBeUndefined();
  });
});
