/**
 * Slack interactivity endpoint (API Gateway HTTP API). The raw body (base64-decoded when API
 * Gateway encoded it) goes to handleInteraction, which verifies the signature before parsing.
 * Any unexpected error is an opaque 500; nothing is half-done because decisions are recorded
 * conditionally before the task is completed.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { workflowDeps } from "../shared/runtime/workflow-deps.ts";
import { DynamoCostStore } from "../shared/store/dynamo-cost-store.ts";
import { handleInteraction } from "../shared/workflow/interactions.ts";

const logger = new Logger({ serviceName: "ml-janitor" });

export function rawBodyOf(event: APIGatewayProxyEventV2): string {
  const body = event.body ?? "";
  return event.isBase64Encoded ? Buffer.from(body, "base64").toString("utf8") : body;
}

export async function interactions(
  event: APIGatewayProxyEventV2,
): Promise<APIGatewayProxyStructuredResultV2> {
  const d = await workflowDeps();
  try {
    const res = await handleInteraction(
      { rawBody: rawBodyOf(event), headers: event.headers ?? {} },
      {
        signingSecret: d.signingSecret,
        store: d.store,
        sfn: d.clients.sfn,
        slack: d.interactiveSlack,
        clients: d.clients,
        authorize: d.authorize,
        authorizeFor: d.authorizeFor,
        costStore: new DynamoCostStore({ client: d.clients.documents, tableName: d.env.TABLE_NAME }),
        now: new Date(),
      },
    );
    return { statusCode: res.statusCode, headers: { "content-type": "application/json" }, body: res.body };
  } catch (err) {
    logger.error("interaction failed", { error: err as Error });
    return { statusCode: 500, body: "" };
  }
}

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger))
  .handler(interactions);
