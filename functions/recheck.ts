/** Recheck task: the safety rails and the detector again on fresh data, right before acting. */
import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import { workflowDeps } from "../shared/runtime/workflow-deps.ts";
import { DynamoEndpointConfigCache } from "../shared/store/endpoint-config-cache.ts";
import { recheck } from "../shared/workflow/recheck.ts";
import type { RecheckResult, StepPayload } from "../shared/workflow/types.ts";

const logger = new Logger({ serviceName: "ml-janitor" });
/** Shared with the scan (same table): the re-check describes only configs the scan never saw. */
let configCache: DynamoEndpointConfigCache | undefined;

export async function recheckStep(payload: StepPayload): Promise<RecheckResult> {
  const d = await workflowDeps();
  configCache ??= new DynamoEndpointConfigCache({
    client: d.clients.documents,
    tableName: d.env.TABLE_NAME,
    // A cache failure costs describes, never a wrong verdict.
    onError: (error) => logger.warn("endpoint config cache unavailable", { error }),
  });
  const result = await recheck(payload.input, {
    config: d.config,
    clients: d.clients,
    store: d.store,
    now: new Date(),
    endpointConfigCache: configCache,
  });
  logger.info("re-check", { findingId: payload.input.finding.id, ...result });
  return result;
}

export const handler = middy<StepPayload, RecheckResult>()
  .use(injectLambdaContext(logger))
  .handler(recheckStep);
