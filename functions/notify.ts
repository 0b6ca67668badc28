/** Notify/Remind task of the cleanup state machine (`.waitForTaskToken`). Throws on failure: the state machine catches by name. */
import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import { workflowDeps } from "../shared/runtime/workflow-deps.ts";
import { notify } from "../shared/workflow/notify.ts";
import type { NotifyPayload } from "../shared/workflow/types.ts";

const logger = new Logger({ serviceName: "ml-janitor" });

export async function notifyStep(payload: NotifyPayload): Promise<{ channel: string; ts: string }> {
  const d = await workflowDeps();
  const posted = await notify(payload, {
    config: d.config,
    store: d.store,
    slack: d.slack,
    resolveOwner: (finding) => d.owners.resolve(finding),
    now: new Date(),
  });
  logger.info("notice posted", {
    findingId: payload.input.finding.id,
    phase: payload.phase,
    channel: posted.channel,
  });
  return posted;
}

export const handler = middy<NotifyPayload, { channel: string; ts: string }>()
  .use(injectLambdaContext(logger))
  .handler(notifyStep);
