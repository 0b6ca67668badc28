/** Act task: stop or delete, idempotently, the undo record saved first. */
import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import { workflowDeps } from "../shared/runtime/workflow-deps.ts";
import { act } from "../shared/workflow/act.ts";
import type { ActResult, StepPayload } from "../shared/workflow/types.ts";

const logger = new Logger({ serviceName: "ml-janitor" });

export async function actStep(payload: StepPayload): Promise<ActResult> {
  const d = await workflowDeps();
  const result = await act(payload.input, { clients: d.clients, store: d.store, now: new Date() });
  logger.info("acted", { findingId: payload.input.finding.id, ...result });
  return result;
}

export const handler = middy<StepPayload, ActResult>().use(injectLambdaContext(logger)).handler(actStep);
