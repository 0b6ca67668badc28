/**
 * The nightly scan, triggered by an EventBridge schedule. Thin: build dependencies once per
 * container, call scanAndRecord, log and return the summary.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { ScheduledEvent } from "aws-lambda";
import { AwsClients } from "../shared/aws/clients.ts";
import { readEnv } from "../shared/env.ts";
import { loadConfig } from "../shared/policy/load-config.ts";
import type { JanitorConfig } from "../shared/policy/schema.ts";
import { type ScanSummary, scanAndRecord, scanIdFor } from "../shared/scan/scan-and-record.ts";
import { DynamoStore } from "../shared/store/dynamo-store.ts";
import type { JanitorStore } from "../shared/store/types.ts";

export interface ScanDeps {
  config: JanitorConfig;
  clients: AwsClients;
  store: JanitorStore;
  now: () => Date;
  logger: Logger;
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
      now: () => new Date(),
      logger,
    };
  })();
  return deps;
}

export async function scan(event: ScheduledEvent, d: ScanDeps): Promise<ScanSummary> {
  const now = d.now();
  const scanId = scanIdFor(event.time ?? now.toISOString());
  const { summary } = await scanAndRecord({
    config: d.config,
    clients: d.clients,
    store: d.store,
    now,
    scanId,
  });
  d.logger.info("scan finished", { ...summary });
  for (const error of summary.errors) d.logger.error("detector failed", { ...error });
  return summary;
}

export const handler = middy<ScheduledEvent, ScanSummary>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => scan(event, await defaultDeps()));

/** For the local runtime and tests: drop the cached dependencies (e.g. after changing env). */
export function resetScanDeps(): void {
  deps = undefined;
}
