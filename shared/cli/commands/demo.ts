/**
 * `janitor demo` (= `npm start`): the nightly scan of a realistic ML account, end to end, with
 * no AWS account and no Slack workspace. The local runtime stands in for AWS; the code that
 * runs is the real scan Lambda handler, reached through the standard AWS endpoint variables.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Context, ScheduledEvent } from "aws-lambda";
import { AwsClients } from "../../aws/clients.ts";
import { startLocalRuntime } from "../../local/runtime.ts";
import { loadScenario } from "../../local/sandbox/scenario.ts";
import { DynamoStore } from "../../store/dynamo-store.ts";
import { progress } from "../progress.ts";
import { renderFindings, renderSummary } from "../render-findings.ts";

export interface DemoOptions {
  scenario: string;
  config: string;
  dataDir?: string;
}

const lambdaContext = {
  functionName: "ml-janitor-local-scan",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:ml-janitor-local-scan",
  memoryLimitInMB: "1024",
  awsRequestId: "local-demo",
  logGroupName: "/aws/lambda/ml-janitor-local-scan",
  logStreamName: "local",
  callbackWaitsForEmptyEventLoop: false,
  getRemainingTimeInMillis: () => 300_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} as unknown as Context;

export async function demoCommand(options: DemoOptions, out = console): Promise<number> {
  const p = progress();
  const now = new Date();
  const scenario = loadScenario(options.scenario, now);
  out.log(`ml-janitor demo: the nightly scan of "${scenario.name}" (no AWS account, no Slack needed)`);
  out.log(`${scenario.description}\n`);

  p.step("starting the local runtime");
  const runtime = await startLocalRuntime({
    scenario,
    dataDir: resolve(options.dataDir ?? ".janitor/demo"),
    fresh: true,
    tableName: "ml-janitor-demo",
    onProgress: (m) => p.done(m),
  });
  try {
    process.env.JANITOR_CONFIG = resolve(options.config);
    process.env.POWERTOOLS_LOG_LEVEL ??= "SILENT";
    // Imported only now, so the handler builds its clients from the local runtime's variables.
    const { handler } = await import("../../../functions/scan.ts");
    const event = JSON.parse(readFileSync(resolve("events/scan/nightly.json"), "utf8")) as ScheduledEvent;
    event.time = new Date(Math.floor(now.getTime() / 60_000) * 60_000).toISOString();

    p.step(`invoking the scan Lambda handler (functions/scan.ts) for the schedule at ${event.time}`);
    const summary = await handler(event, lambdaContext);
    p.done(
      `scan ${summary.scanId}: ${summary.findings} findings (${summary.recorded.opened.length} new, ` +
        `${summary.recorded.seenAgain.length} seen before) recorded in DynamoDB`,
    );

    const clients = new AwsClients({ region: scenario.region });
    const store = new DynamoStore({ client: clients.documents, tableName: runtime.tableName });
    const open = (await store.listFindings({ status: "open" })).map((s) => s.finding);
    open.sort((a, b) => b.monthlyCostUsd - a.monthlyCostUsd);
    clients.destroy();

    out.log("");
    out.log(renderFindings(open));
    out.log(
      renderSummary({
        findings: open,
        errors: summary.errors,
        excluded: summary.excluded,
        undetermined: summary.undetermined,
      }),
    );
    out.log("");
    const counts = runtime.sandbox.counts();
    const calls = Object.entries(counts)
      .filter(([k]) => k.includes("."))
      .map(([k, v]) => `${k} ${v}`)
      .join(", ");
    p.info(`AWS API calls made by the scan (counted by the sandbox): ${calls}`);
    out.log(
      "\nNext: `npx janitor scan --format json` against any account (or the sandbox: `npx janitor sandbox`), " +
        "`npx janitor validate janitor.yml`, and the README for deploying.",
    );
    return summary.errors.length > 0 ? 1 : 0;
  } finally {
    await runtime.close();
  }
}
