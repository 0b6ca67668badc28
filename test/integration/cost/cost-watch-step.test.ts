import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { costWatchStep } from "../../../shared/cli/demo/cost-watch-step.ts";
import { startLocalRuntime } from "../../../shared/local/runtime.ts";
import { WORKFLOW_LAMBDAS } from "../../../shared/local/workflow-lambdas.ts";
import { resetWorkflowDeps } from "../../../shared/runtime/workflow-deps.ts";
import { demoScenario } from "../../fixtures/local.ts";
import { PEOPLE } from "../../fixtures/workflow.ts";

const people = [...PEOPLE, { id: "U0SAM", name: "sam", email: "sam@example.com" }];

describe("the demo's cost-watch step", () => {
  let close: (() => Promise<void>) | undefined;
  afterAll(async () => {
    resetWorkflowDeps();
    await close?.();
  });

  it("prints the anomaly traced to the training job and its owner, and the budget escalation", async () => {
    const runtime = await startLocalRuntime({
      scenario: demoScenario(new Date("2026-11-23T08:00:00Z")),
      dataDir: mkdtempSync(join(tmpdir(), "janitor-cost-step-")),
      tableName: "janitor-cost-step",
      seedS3: false,
      workflow: { slackUsers: people, lambdas: WORKFLOW_LAMBDAS, secondsPerDay: 1 },
    });
    close = async () => {
      await runtime.workflow?.stepFunctions.stop();
      await runtime.close();
    };
    process.env.JANITOR_CONFIG = resolve("janitor.yml");
    resetWorkflowDeps();
    const lines: string[] = [];
    const progress = {
      step: (m: string) => lines.push(m),
      done: (m: string) => lines.push(m),
      info: (m: string) => lines.push(m),
    };

    await costWatchStep({ runtime, people, progress });

    const text = lines.join("\n");
    expect(text).toMatch(/cost anomaly in Amazon SageMaker since 2026-11-12/);
    // The demo turns resource-level data and the AWS-side sources on (not the shipped janitor.yml).
    expect(text).toContain(
      "training-job llm-finetune-overnight (4× ml.p3.8xlarge) billed $1,410 that day as arn:aws:sagemaker:us-east-1:123456789012:training-job/llm-finetune-overnight, owner sam",
    );
    expect(text).toContain(
      "also AWS Cost Anomaly Detection's 9f1c2b7e-3d4a-4e8b-a1f0-6c5d2e8b7a10 (one alert)",
    );
    expect(text).toMatch(/1 GetCostAndUsageWithResources, 1 GetCostForecast, 1 GetAnomalies/);
    expect(text).toContain("budget team-vision (team:vision) reached 75% on actual");
    expect(text).toContain("budget team-nlp (team:nlp) reached 75% on actual");
    expect(text).toContain("mentioning lead");
  });
});
