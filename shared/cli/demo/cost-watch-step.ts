/**
 * The demo's cost-watch step, after the cleanup workflow: the real cost-watch handler over
 * the demo account (Cost Explorer in the sandbox, the table in dynalite, the local Slack),
 * then what it found — the spike traced to its resources and owners — and the budget
 * escalations it sent.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import type { ScheduledEvent } from "aws-lambda";
import { costWatch, costWatchDepsFrom } from "../../../functions/cost-watch.ts";
import type { LocalRuntime } from "../../local/runtime.ts";
import type { LocalSlackUser } from "../../local/slack/server.ts";
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

export async function costWatchStep(world: CostWatchWorld): Promise<void> {
  const p = world.progress;
  const now = new Date(world.runtime.sandbox.scenario.now);
  p.step("cost watch: daily spend from Cost Explorer, anomalies, budgets");
  const deps = {
    ...(await costWatchDepsFrom(await workflowDeps(), new Logger({ logLevel: "SILENT" }))),
    now: () => now,
  };
  const event = {
    time: now.toISOString(),
    source: "aws.events",
    "detail-type": "Scheduled Event",
  } as ScheduledEvent;
  const report = await costWatch(event, deps);
  const r = report.requests;
  p.info(
    `read ${report.fetchedFrom} … ${report.date}: ${r.GetCostAndUsage} GetCostAndUsage, ${r.GetCostForecast} GetCostForecast, ${r.GetAnomalies} GetAnomalies ($${((r.GetCostAndUsage + r.GetCostForecast + r.GetAnomalies) * 0.01).toFixed(2)})`,
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
      `cost anomaly in ${a.series.replace(/^service:/, "")} since ${a.firstDate}: ${usd(v.actualUsd)}/day vs ${usd(v.expectedUsd)} expected, ${usd(a.impactUsd)} so far (${a.outcome})`,
    );
    for (const d of a.drivers) {
      const who = d.resources
        .map(
          (res) =>
            `${res.kind} ${res.name} (${res.instanceCount}× ${res.instanceType})${res.owner ? `, owner ${nameOf(res.owner)}` : ""}`,
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
  }
}
