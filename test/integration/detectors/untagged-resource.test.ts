/**
 * Whole-policy test: a janitor.yml policy of type `untagged-resource`, run by the real scan
 * against the local runtime (sandbox account for SageMaker, EC2 and Tagging; s3rver for S3).
 * Resources never tagged are invisible to the Tagging API: they must still be found.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AwsClients } from "../../../shared/aws/clients.ts";
import { type LocalRuntime, startLocalRuntime } from "../../../shared/local/runtime.ts";
import { resolveScenario } from "../../../shared/local/sandbox/scenario.ts";
import { parseConfig } from "../../../shared/policy/load-config.ts";
import { runScan } from "../../../shared/scan/run-scan.ts";

const FULL = {
  team: "risk",
  project: "fraud",
  environment: "dev",
  "cost-center": "cc-1",
  owner: "maria@example.com",
};
const now = new Date();

const scenario = resolveScenario(
  {
    name: "untagged",
    accountId: "123456789012",
    region: "us-east-1",
    sagemaker: {
      models: [{ name: "m", image: "img", created: "-90d" }],
      endpointConfigs: ["tagged", "untagged", "partial", "young", "protected"].map((n) => ({
        name: `${n}-config`,
        created: "-60d",
        variants: [
          { variantName: "AllTraffic", modelName: "m", instanceType: "ml.m5.large", initialInstanceCount: 1 },
        ],
      })),
      endpoints: [
        { name: "tagged-ep", configName: "tagged-config", created: "-30d", tags: FULL },
        { name: "untagged-ep", configName: "untagged-config", created: "-30d" },
        {
          name: "partial-ep",
          configName: "partial-config",
          created: "-30d",
          tags: { team: "risk", owner: "li@example.com" },
        },
        { name: "young-ep", configName: "young-config", created: "-2h" },
        {
          name: "protected-ep",
          configName: "protected-config",
          created: "-30d",
          tags: { "janitor:protect": "true" },
        },
      ],
      notebookInstances: [
        { name: "nb-untagged", status: "InService", instanceType: "ml.t3.medium", created: "-10d" },
        {
          name: "nb-case",
          status: "Stopped",
          instanceType: "ml.t3.medium",
          created: "-10d",
          tags: {
            project: "fraud",
            environment: "dev",
            "cost-center": "cc-1",
            owner: "maria@example.com",
            Team: "risk",
          },
        },
      ],
    },
    ec2: {
      instances: [
        {
          instanceId: "i-0a1",
          instanceType: "g5.xlarge",
          state: "running",
          launched: "-5d",
          tags: { "created-by": "omar@example.com" },
        },
      ],
      volumes: [
        { volumeId: "vol-0a1", volumeType: "gp3", sizeGiB: 100, state: "available", created: "-20d" },
        {
          volumeId: "vol-0a2",
          volumeType: "gp3",
          sizeGiB: 100,
          state: "in-use",
          created: "-20d",
          tags: FULL,
        },
      ],
    },
    s3: {
      buckets: [
        { name: "raw-dumps", created: "-100d" },
        { name: "curated-data", created: "-100d", tags: FULL },
        { name: "scratch-tmp", created: "-100d" },
      ],
    },
  },
  now,
);

const POLICY = `
version: 1
regions: [us-east-1]
policies:
  - name: untagged-resources
    type: untagged-resource
    mode: notify
    params:
      minAgeHours: 24
      resourceTypes: [sagemaker:endpoint, sagemaker:notebook-instance, ec2:instance, ec2:volume, s3:bucket]
    exclude:
      namePatterns: ["scratch-*"]
`;

let runtime: LocalRuntime;
let clients: AwsClients;

beforeAll(async () => {
  runtime = await startLocalRuntime({
    scenario,
    dataDir: mkdtempSync(join(tmpdir(), "janitor-untagged-")),
    tableName: "janitor-untagged-test",
  });
  clients = new AwsClients({ region: "us-east-1", s3ForcePathStyle: true });
});

afterAll(async () => {
  clients?.destroy();
  await runtime?.close();
});

describe("untagged-resource policy on the sandbox", () => {
  it("finds every resource missing a required tag, never-tagged ones included", async () => {
    runtime.sandbox.resetCounts();
    const report = await runScan({ config: parseConfig(POLICY), clients, now });

    expect(report.errors).toEqual([]);
    const byId = Object.fromEntries(report.findings.map((f) => [f.resource.id, f]));
    expect(Object.keys(byId).sort()).toEqual([
      "i-0a1",
      "nb-case",
      "nb-untagged",
      "partial-ep",
      "raw-dumps",
      "untagged-ep",
      "vol-0a1",
    ]);
    expect(byId["untagged-ep"]!.reason).toBe(
      "missing all 5 required tags: team, project, environment, cost-center, owner",
    );
    expect(byId["partial-ep"]!.evidence).toMatchObject({
      missingTags: ["project", "environment", "cost-center"],
      presentTags: ["team", "owner"],
    });
    expect(byId["partial-ep"]!.owner).toEqual({ email: "li@example.com", team: "risk" });
    expect(byId["nb-case"]!.evidence).toMatchObject({ caseMismatches: { team: "Team" } });
    expect(byId["i-0a1"]!.owner).toEqual({ email: "omar@example.com" });
    expect(byId["i-0a1"]!.monthlyCostUsd).toBeGreaterThan(0);
    expect(byId["raw-dumps"]).toMatchObject({
      resource: { type: "s3:bucket", arn: "arn:aws:s3:::raw-dumps" },
    });
    expect(report.findings.every((f) => f.proposedAction === "tag" && f.confidence === "high")).toBe(true);

    expect(report.excluded.sort((a, b) => a.reason.localeCompare(b.reason))).toEqual([
      { detector: "untagged-resource", reason: "excluded by name pattern scratch-*", count: 1 },
      { detector: "untagged-resource", reason: "protect tag janitor:protect", count: 1 },
    ]);
    expect(report.undetermined).toEqual([
      { detector: "untagged-resource", reason: "created less than 24 hours ago (minAgeHours)", count: 1 },
    ]);

    // Only the kinds asked for are listed: no Studio, no training jobs.
    const calls = runtime.sandbox.counts();
    expect(calls["SageMaker.ListDomains"]).toBeUndefined();
    expect(calls["SageMaker.ListProcessingJobs"]).toBeUndefined();
  });

  it("reports a kind that cannot be listed as this policy's error, while other policies still report", async () => {
    runtime.sandbox.setKnobs({ failOperations: ["SageMaker.ListDomains"] });
    try {
      const config = parseConfig(`
version: 1
regions: [us-east-1]
policies:
  - name: untagged-everything
    type: untagged-resource
  - name: untagged-buckets
    type: untagged-resource
    params: { resourceTypes: [s3:bucket] }
`);
      const report = await runScan({ config, clients, now });

      expect(report.errors).toHaveLength(1);
      expect(report.errors[0]!.message).toMatch(/^untagged-everything: could not list studioDomains/);
      expect(report.findings.map((f) => f.resource.id).sort()).toEqual(["raw-dumps", "scratch-tmp"]);
    } finally {
      runtime.sandbox.setKnobs({ failOperations: [] });
    }
  });
});
