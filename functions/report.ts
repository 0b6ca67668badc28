/** Report task: the outcome in Slack, the store, the audit log and the savings ledger. */
import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import { workflowDeps } from "../shared/runtime/workflow-deps.ts";
import type { RunOutcome } from "../shared/workflow/outcome.ts";
import { report } from "../shared/workflow/report.ts";
import type { StepPayload } from "../shared/workflow/types.ts";

const logger = new Logger({ serviceName: "ml-janitor" });

export async function reportStep(payload: StepPayload): Promise<RunOutcome> {
  const d = await workflowDeps();
  const result = await report(payload.input, {
    config: d.config,
    store: d.store,
    slack: d.slack,
    now: new Date(),
  });
  logger.info("reported", { findingId: payload.input.finding.id, outcome: result.outcome });
  return result;
}

export const handler = middy<StepPayload, RunOutcome>().use(injectLambdaContext(logger)).handler(reportStep);
