/**
 * The demo's cost-watch step, after the cleanup workflow: the real cost-watch handler over
 * the demo account (Cost Explorer and AWS Budgets in the sandbox, the table in dynalite, the
 * local Slack), then what it found — the spike traced to the billed training job and its
 * owner — and the budget escalations it sent. The demo turns on what the shipped janitor.yml
 * leaves off (each costs requests, or needs an opt-in in a real account): resource-level
 * data, AWS Cost Anomaly Detection and AWS Budgets, which the demo scenario declares.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import type { ScheduledEvent } from "aws-lambda";
import { costWatch, costWatchDepsFrom } from "../../../functions/cost-watch.ts";
import type { LocalRuntime } from "../../local/runtime.ts";
import type { LocalSlackUser } from "../../local/slack/server.ts";
import type { JanitorConfig } from "../../policy/schema.ts";
import { workflowDeps } from "../../runtime/workflow-deps.ts";
import { usd } from "../../slack/blocks/build-cost-anomaly.ts";
import type { Progress } from "../progress.ts";

export interface CostWatchWorld {
  runtime: LocalRuntime;
  /** Unused: cost watch keeps its records through its own store (same table). */
  store?: unknown;
  people: LocalSlackUser[];
  progress: Progress;
}

/** The demo's config: the shipped one with the AWS-side sources and resource-level data on. */
export function demoCostConfig(config: JanitorConfig): JanitorConfig {
  return {
    ...config,
    costWatch: { ...config.costWatch, resourceLevel: true, awsAnomalyDetection: true, awsBudgets: true },
  };
}

export async function costWatchStep(world: CostWatchWorld): Promise<void> {
  const p = world.progress;
  const now = new Date(world.runtime.sandbox.scenario.now);
  p.step("cost watch: daily spend from Cost Explorer, anomalies, budgets");
  const w = await workflowDeps();
  const deps = {
    ...(await costWatchDepsFrom(
      { ...w, config: demoCostConfig(w.config) },
      new Logger({ logLevel: "SILENT" }),
    )),
    now: () => now,
  };
  const event = {
    time: now.toISOString(),
    source: "aws.events",
    "detail-type": "Scheduled Event",
  } as ScheduledEvent;
  const report = await costWatch(event, deps);
  const r = report.requests;
  const billed = r.GetCostAndUsage + r.GetCostAndUsageWithResources + r.GetCostForecast + r.GetAnomalies;
  p.info(
    `read ${report.fetchedFrom} … ${report.date}: ${r.GetCostAndUsage} GetCostAndUsage, ${r.GetCostAndUsageWithResources} GetCostAndUsageWithResources, ${r.GetCostForecast} GetCostForecast, ${r.GetAnomalies} GetAnomalies ($${(billed * 0.01).toFixed(2)})`,
  );
  const nameOf = (email: string) => world.people.find((u) => u.email === email)?.name ?? email;
  const userName = (mention: string) => {
    const id = /^<@(\w+)>$/.exec(mention)?.[1];
    return (id && world.people.find((u) => u.id === id)?.name) || mention;
  };
  if (report.anomalies.length === 0) p.info("no cost anomaly");
  for (const a of report.anomalies) {
    const v = a.verdict;
    p.done(
      `cost anomaly in ${a.series.replace(/^service:/, "")} since ${a.firstDate}: ${usd(v.actualUsd)}/day vs ${usd(v.expectedUsd)} expected, ${usd(a.impactUsd)} so far (${a.outcome})${a.awsAnomalyId ? `; also AWS Cost Anomaly Detection's ${a.awsAnomalyId} (one alert)` : ""}`,
    );
    if (a.resourceNote) p.info(`  ${a.resourceNote}`);
    for (const d of a.drivers) {
      const who = d.resources
        .map(
          (res) =>
            `${res.kind} ${res.name} (${res.instanceCount ? `${res.instanceCount}× ` : ""}${res.instanceType})${res.costUsd !== undefined ? ` billed ${usd(res.costUsd)} that day as ${res.arn}` : ""}${res.owner ? `, owner ${nameOf(res.owner)}` : ""}`,
        )
        .join("; ");
      p.info(`  ${d.usageType}: +${usd(d.excessUsd)}/day${who ? ` → ${who}` : ""}`);
    }
  }
  for (const b of report.budgetAlerts) {
    const mentions = b.mentions.map(userName);
    p.done(
      `budget ${b.budget} (${b.scope}) reached ${b.percent}% on ${b.basis}: ${usd(b.actualUsd)} so far, ${usd(b.forecastUsd)} forecast → ${b.channels.join(", ")}${mentions.length ? `, mentioning ${mentions.join(", ")}` : ""}`,
    );
    if (b.tightening) p.info(`  tightened: ${b.tightening}`);
  }
}
