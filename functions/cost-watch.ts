/**
 * The daily cost watch, triggered by an EventBridge schedule. Thin: build dependencies once
 * per container (Slack through workflowDeps, which reads its secrets from SSM), call
 * runCostWatch, log and return the report.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { ScheduledEvent } from "aws-lambda";
import { callerAccount } from "../shared/aws/identity.ts";
import type { CostWatchDeps, CostWatchReport } from "../shared/cost/run-cost-watch.ts";
import { runCostWatch } from "../shared/cost/run-cost-watch.ts";
import type { InventoryKind } from "../shared/detectors/inventory.ts";
import { type WorkflowDeps, workflowDeps } from "../shared/runtime/workflow-deps.ts";
import { loadInventory } from "../shared/scan/run-scan.ts";
import { DynamoCostStore } from "../shared/store/dynamo-cost-store.ts";

/** What the drill-down matches usage types against. */
const DRILL_DOWN_KINDS: InventoryKind[] = ["trainingJobs", "endpoints", "notebooks", "ec2Instances"];

const logger = new Logger({ serviceName: "ml-janitor" });

export type CostWatchHandlerDeps = Omit<CostWatchDeps, "now"> & { now: () => Date; logger: Logger };

/** Cost watch's dependencies from the workflow's (config, clients, Slack from SSM secrets). */
export async function costWatchDepsFrom(
  w: WorkflowDeps,
  log: Logger = logger,
): Promise<CostWatchHandlerDeps> {
  const { clients, config } = w;
  const region = config.regions[0] ?? w.env.AWS_REGION ?? "us-east-1";
  return {
    config,
    costExplorer: clients.costExplorer,
    budgets: clients.budgets,
    accountId: config.costWatch.awsBudgets ? (await callerAccount(clients.sts)).accountId : "",
    store: new DynamoCostStore({ client: clients.documents, tableName: w.env.TABLE_NAME }),
    slack: w.slack,
    inventory: async () => {
      const kinds = new Set(DRILL_DOWN_KINDS);
      const { inventory, failed } = await loadInventory(kinds, clients.forRegion(region), region, {});
      for (const reason of failed.values()) log.warn("drill-down inventory incomplete", { reason });
      return inventory;
    },
    now: () => new Date(),
    logger: log,
  };
}

let deps: Promise<CostWatchHandlerDeps> | undefined;

function defaultDeps(): Promise<CostWatchHandlerDeps> {
  deps ??= workflowDeps()
    .then((w) => costWatchDepsFrom(w))
    .catch((err) => {
      deps = undefined;
      throw err;
    });
  return deps;
}

export async function costWatch(_event: ScheduledEvent, d: CostWatchHandlerDeps): Promise<CostWatchReport> {
  const report = await runCostWatch({ ...d, now: d.now() });
  d.logger.info("cost watch finished", {
    date: report.date,
    requests: report.requests,
    anomalies: report.anomalies.map((a) => ({ id: a.id, series: a.series, outcome: a.outcome })),
    budgetAlerts: report.budgetAlerts.length,
  });
  return report;
}

export const handler = middy<ScheduledEvent, CostWatchReport>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => costWatch(event, await defaultDeps()));

/** For the local runtime and tests: drop the cached dependencies. */
export function resetCostWatchDeps(): void {
  deps = undefined;
}
