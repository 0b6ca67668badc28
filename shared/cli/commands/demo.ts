/**
 * `janitor demo` (= `npm start`): the nightly scan and the cleanup workflow of a realistic ML
 * account, end to end, with no AWS account and no Slack workspace. The local runtime stands in
 * for AWS and Slack; the code that runs is the real scan Lambda handler, the real state
 * machine file and the real workflow and Slack handlers.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Context, ScheduledEvent } from "aws-lambda";
import { AwsClients } from "../../aws/clients.ts";
import { startLocalRuntime } from "../../local/runtime.ts";
import { loadScenario } from "../../local/sandbox/scenario.ts";
import { renderTranscriptHtml } from "../../local/slack/render-html.ts";
import { renderTranscriptText } from "../../local/slack/render-text.ts";
import { WORKFLOW_LAMBDAS } from "../../local/workflow-lambdas.ts";
import { formatUsd } from "../../pricing/monthly-cost.ts";
import { DynamoStore } from "../../store/dynamo-store.ts";
import { netMonthlySavings } from "../../workflow/savings.ts";
import { costWatchStep } from "../demo/cost-watch-step.ts";
import { playClicks } from "../demo/play-clicks.ts";
import { demoPeople } from "../demo/slack-people.ts";
import { progress } from "../progress.ts";
import { renderFindings, renderSummary } from "../render-findings.ts";

export interface DemoOptions {
  scenario: string;
  config: string;
  dataDir?: string;
  /** Real seconds per day of grace period (the demo compresses time). */
  secondsPerDay?: number;
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

/** The people whose conversations the terminal shows in full (the HTML page has them all). */
const FEATURED = [
  "fraud-scorer-v1",
  "vision-idle-zeros",
  "llm-finetune-overnight",
  "churn-predictor-legacy",
  "maria-exploration",
];

export async function demoCommand(options: DemoOptions, out = console): Promise<number> {
  const p = progress();
  const now = new Date();
  const scenario = loadScenario(options.scenario, now);
  const dataDir = resolve(options.dataDir ?? ".janitor/demo");
  const people = demoPeople(scenario);
  out.log(
    `ml-janitor demo: one night and one grace period of "${scenario.name}" (no AWS account, no Slack needed)`,
  );
  out.log(`${scenario.description}\n`);

  p.step("starting the local runtime");
  const runtime = await startLocalRuntime({
    scenario,
    dataDir,
    fresh: true,
    tableName: "ml-janitor-demo",
    workflow: { slackUsers: people, lambdas: WORKFLOW_LAMBDAS, secondsPerDay: options.secondsPerDay ?? 3 },
    onProgress: (m) => p.done(m),
  });
  const clients = new AwsClients({ region: scenario.region });
  try {
    process.env.JANITOR_CONFIG = resolve(options.config);
    process.env.POWERTOOLS_LOG_LEVEL ??= "SILENT";
    // Imported only now, so the handler builds its clients from the local runtime's variables.
    const { handler } = await import("../../../functions/scan.ts");
    const event = JSON.parse(readFileSync(resolve("events/scan/nightly.json"), "utf8")) as ScheduledEvent;
    event.time = new Date(Math.floor(now.getTime() / 60_000) * 60_000).toISOString();

    p.step(`invoking the scan Lambda handler (functions/scan.ts) for the schedule at ${event.time}`);
    // Grace periods are compressed to seconds; hold their clock until the owners have clicked.
    runtime.workflow!.stepFunctions.holdTimeouts();
    const summary = await handler(event, lambdaContext);
    const scanCalls = runtime.sandbox.counts();
    p.done(
      `scan ${summary.scanId}: ${summary.findings} findings (${summary.recorded.opened.length} new) recorded in DynamoDB; ` +
        `${summary.workflows?.started.length ?? 0} cleanup workflows started`,
    );

    const store = new DynamoStore({ client: clients.documents, tableName: runtime.tableName });
    const open = (await store.listFindings())
      .map((s) => s.finding)
      .sort((a, b) => b.monthlyCostUsd - a.monthlyCostUsd);
    const untagged = open.filter((f) => f.proposedAction === "tag");
    out.log("");
    out.log(renderFindings(open.filter((f) => f.proposedAction !== "tag")));
    if (untagged.length > 0) {
      out.log(
        `…and ${untagged.length} resources missing required tags (nobody to bill or ask): ` +
          `${[...new Set(untagged.map((f) => f.resource.type))].join(", ")} — see \`npx janitor scan\`.`,
      );
    }
    out.log(
      renderSummary({
        findings: open,
        errors: summary.errors,
        excluded: summary.excluded,
        undetermined: summary.undetermined,
      }),
    );
    const calls = Object.entries(scanCalls)
      .filter(([k]) => k.includes("."))
      .map(([k, v]) => `${k} ${v}`)
      .join(", ");
    p.info(`AWS API calls made by the scan (counted by the sandbox): ${calls}`);

    out.log("\nThe cleanup workflow (Step Functions, grace periods compressed to seconds):");
    await playClicks({ runtime, store, people, progress: p });
    runtime.workflow!.stepFunctions.releaseTimeouts();
    p.step(
      "waiting for the grace periods of everyone who did not answer (one reminder each, then the policy decides)",
    );
    await runtime.workflow!.stepFunctions.idle();
    const executions = [...runtime.workflow!.stepFunctions.executions.values()];
    const failed = executions.filter((e) => e.status !== "SUCCEEDED");
    p.done(`${executions.length} workflows finished (${failed.length} failed)`);

    out.log("\nThe daily cost watch (Cost Explorer history, anomalies, budgets):");
    await costWatchStep({ runtime, store, people, progress: p });

    const slack = runtime.workflow!.slack;
    const featured = new Set<string>();
    for (const f of await store.listFindings()) {
      if (!FEATURED.includes(f.finding.resource.id) || !f.decisionId) continue;
      const pending = await store.getPendingDecision(f.decisionId);
      if (pending?.channel) featured.add(pending.channel);
    }
    const messages = slack.messages();
    out.log("\nWhat the owners saw in Slack (featured conversations; all of them in the HTML page):\n");
    out.log(
      renderTranscriptText(
        messages.filter((m) => featured.has(m.channel)),
        { users: people, views: slack.views(), color: process.stdout.isTTY === true },
      ),
    );
    mkdirSync(dataDir, { recursive: true });
    const htmlPath = join(dataDir, "slack.html");
    writeFileSync(
      htmlPath,
      renderTranscriptHtml(messages, "ml-janitor demo: Slack", { users: people, views: slack.views() }),
    );
    writeFileSync(
      join(dataDir, "slack.txt"),
      renderTranscriptText(messages, { users: people, views: slack.views() }),
    );
    p.info(`the whole Slack conversation: ${htmlPath}`);

    const saved = await netMonthlySavings(store);
    out.log(
      `\nSaved: ${formatUsd(saved.monthlyUsd)} per month (${formatUsd(saved.monthlyUsd * 12)} per year) ` +
        `from ${saved.actions} action${saved.actions === 1 ? "" : "s"} kept in place, ` +
        `out of ${formatUsd(summary.totalMonthlyUsd)} per month of waste found.`,
    );
    out.log(
      "Next: `npx janitor scan --format json` against any account (or the sandbox: `npx janitor sandbox`), " +
        "`npx janitor validate janitor.yml`, and the README for deploying.",
    );
    return summary.errors.length > 0 || failed.length > 0 ? 1 : 0;
  } finally {
    clients.destroy();
    await runtime.workflow?.stepFunctions.stop();
    await runtime.close();
  }
}
