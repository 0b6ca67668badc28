/**
 * The nightly scan, triggered by an EventBridge schedule. Thin: build dependencies once per
 * container, call scanAndRecord, log and return the summary.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { ScheduledEvent } from "aws-lambda";
import { AwsClients } from "../shared/aws/clients.ts";
import type { EndpointConfigCache } from "../shared/aws/endpoint-inventory.ts";
import { readEnv } from "../shared/env.ts";
import { loadConfig } from "../shared/policy/load-config.ts";
import type { JanitorConfig } from "../shared/policy/schema.ts";
import { type ScanSummary, scanAndRecord, scanIdFor } from "../shared/scan/scan-and-record.ts";
import type { TighteningReader } from "../shared/store/cost-types.ts";
import { DynamoCostStore } from "../shared/store/dynamo-cost-store.ts";
import { DynamoStore } from "../shared/store/dynamo-store.ts";
import { DynamoEndpointConfigCache } from "../shared/store/endpoint-config-cache.ts";
import type { JanitorStore } from "../shared/store/types.ts";
import type { WorkflowStore } from "../shared/store/workflow-types.ts";
import { type StartWorkflowsResult, startWorkflows } from "../shared/workflow/start-workflows.ts";

export interface ScanDeps {
  config: JanitorConfig;
  clients: AwsClients;
  store: JanitorStore;
  now: () => Date;
  logger: Logger;
  /** Endpoint configs described by earlier runs (in the table); without it each run describes all. */
  endpointConfigCache?: EndpointConfigCache;
  /** The cleanup state machine; without it the scan only records (report-only deployments, tests). */
  stateMachineArn?: string;
  /** Scopes tightened this month by a budget (cost watch's records): stricter new workflows. */
  tightenings?: TighteningReader;
}

export interface ScanResult extends ScanSummary {
  workflows?: StartWorkflowsResult;
}

const logger = new Logger({ serviceName: "ml-janitor" });
let deps: Promise<ScanDeps> | undefined;

/** Built on first use and kept for the container's life. */
function defaultDeps(): Promise<ScanDeps> {
  deps ??= (async () => {
    const env = readEnv();
    const clients = new AwsClients(env.AWS_REGION ? { region: env.AWS_REGION } : {});
    return {
      config: await loadConfig(env.configPath),
      clients,
      store: new DynamoStore({ client: clients.documents, tableName: env.TABLE_NAME }),
      // A cache failure costs describes, not findings: warn and go on.
      endpointConfigCache: new DynamoEndpointConfigCache({
        client: clients.documents,
        tableName: env.TABLE_NAME,
        onError: (error) => logger.warn("endpoint config cache unavailable", { error }),
      }),
      now: () => new Date(),
      logger,
      tightenings: new DynamoCostStore({ client: clients.documents, tableName: env.TABLE_NAME }),
      ...(env.STATE_MACHINE_ARN ? { stateMachineArn: env.STATE_MACHINE_ARN } : {}),
    };
  })();
  return deps;
}

export async function scan(event: ScheduledEvent, d: ScanDeps): Promise<ScanResult> {
  const now = d.now();
  const scanId = scanIdFor(event.time ?? now.toISOString());
  const { summary, report } = await scanAndRecord({
    config: d.config,
    clients: d.clients,
    store: d.store,
    now,
    scanId,
    ...(d.endpointConfigCache ? { endpointConfigCache: d.endpointConfigCache } : {}),
  });
  d.logger.info("scan finished", { ...summary });
  for (const note of summary.notes) d.logger.info("scan note", { ...note });
  for (const error of summary.errors) d.logger.error("detector failed", { ...error });
  if (!d.stateMachineArn || !isWorkflowStore(d.store)) return summary;
  const workflows = await startWorkflows({
    findings: report.findings,
    config: d.config,
    store: d.store,
    sfn: d.clients.sfn,
    stateMachineArn: d.stateMachineArn,
    scanId,
    accountId: report.accountId,
    now,
    ...(d.tightenings ? { tightenings: d.tightenings } : {}),
  });
  d.logger.info("cleanup workflows", {
    started: workflows.started.length,
    skipped: workflows.skipped.length,
    tightened: workflows.tightened.length,
  });
  return { ...summary, workflows };
}

function isWorkflowStore(store: JanitorStore): store is JanitorStore & WorkflowStore {
  return typeof (store as Partial<WorkflowStore>).claimWorkflow === "function";
}

export const handler = middy<ScheduledEvent, ScanResult>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => scan(event, await defaultDeps()));

/** For the local runtime and tests: drop the cached dependencies (e.g. after changing env). */
export function resetScanDeps(): void {
  deps = undefined;
}
