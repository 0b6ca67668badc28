/**
 * The bench compares our scan with the textbook idle-endpoint job: that comparison only means
 * something if both find the same idle endpoints. Checked here on a small generated account
 * (timings belong to `npm run bench`, never to tests).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { idleOnlyConfig, wholeScanConfig } from "../../../scripts/bench/configs.ts";
import { naiveIdleEndpoints } from "../../../scripts/bench/naive-baseline.ts";
import { AwsClients } from "../../../shared/aws/clients.ts";
import { allDetectors } from "../../../shared/detectors/registry.ts";
import { generateAccount } from "../../../shared/local/sandbox/generate-account.ts";
import { type Sandbox, startSandbox } from "../../../shared/local/sandbox/server.ts";
import { runScan } from "../../../shared/scan/run-scan.ts";
import { sandboxEnv } from "../../fixtures/local.ts";

const now = new Date();
let sandbox: Sandbox;
let clients: AwsClients;
const saved = new Map<string, string | undefined>();

beforeAll(async () => {
  const { scenario } = generateAccount(
    {
      seed: 11,
      endpoints: 60,
      notebooks: 5,
      gpuInstances: 5,
      trainingJobs: 5,
      studioApps: 5,
      taggableResources: 200,
    },
    now,
  );
  sandbox = await startSandbox({ scenario });
  // The baseline builds its own clients, as the textbook does: both reach the sandbox through the env.
  for (const [name, value] of Object.entries(sandboxEnv(sandbox.url))) {
    saved.set(name, process.env[name]);
    process.env[name] = value;
  }
  clients = new AwsClients({ region: "us-east-1" });
});

afterAll(async () => {
  clients?.destroy();
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await sandbox?.close();
});

describe("naive baseline vs our scan", () => {
  it("find the same idle endpoints, the baseline with one describe per endpoint", async () => {
    const report = await runScan({ config: idleOnlyConfig("us-east-1"), clients, now });
    const ours = report.findings.map((f) => f.resource.id).sort();

    sandbox.resetCounts();
    const baseline = await naiveIdleEndpoints({ region: "us-east-1", now });

    expect(report.errors).toEqual([]);
    expect(ours.length).toBeGreaterThan(5);
    expect(baseline).toEqual(ours);
    expect(sandbox.counts()["SageMaker.DescribeEndpoint"]).toBe(60);
    expect(sandbox.counts()["SageMaker.ListEndpoints"]).toBe(1);
  });

  it("whole-scan config has one policy per registered detector", () => {
    const config = wholeScanConfig("us-east-1");
    expect(config.policies.map((p) => p.type)).toEqual(allDetectors().map((d) => d.type));
  });
});
