/** Recheck task: the safety rails and the detector again on fresh data, right before acting. */
import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import { workflowDeps } from "../shared/runtime/workflow-deps.ts";
import { recheck } from "../shared/workflow/recheck.ts";
import type { RecheckResult, StepPayload } from "../shared/workflow/types.ts";

const logger = new Logger({ serviceName: "ml-janitor" });

export async function recheckStep(payload: StepPayload): Promise<RecheckResult> {
  const d = await workflowDeps();
  const result = await recheck(payload.input, {
    config: d.config,
    clients: d.clients,
    store: d.store,
    now: new Date(),
  });
  logger.info("re-check", { findingId: payload.input.finding.id, ...result });
  return result;
}

export const handler = middy<StepPayload, RecheckResult>()
  .use(injectLambdaContext(logger))
  .handler(recheckStep);
