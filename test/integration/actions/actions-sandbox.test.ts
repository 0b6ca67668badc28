/**
 * The actions and restores against the sandbox account, through the real SDK clients: what
 * the demo account looks like after each action, after a repeat, and after a restore.
 */
import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeNotebookInstanceCommand,
  DescribeTrainingJobCommand,
  ListTagsCommand,
  type SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAction, getRestore } from "../../../shared/actions/registry.ts";
import type { ActionOutcome } from "../../../shared/actions/types.ts";
import { AwsClients } from "../../../shared/aws/clients.ts";
import { type Sandbox, startSandbox } from "../../../shared/local/sandbox/server.ts";
import type { UndoRecord } from "../../../shared/store/workflow-types.ts";
import type { Finding, ResourceType } from "../../../shared/types.ts";
import { demoScenario, sandboxEnv } from "../../fixtures/local.ts";

const ACCOUNT = "123456789012";
let sandbox: Sandbox;
let clients: AwsClients;
const savedEnv = new Map<string, string | undefined>();

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: demoScenario(new Date()), port: 0 });
  for (const [name, value] of Object.entries(sandboxEnv(sandbox.url))) {
    savedEnv.set(name, process.env[name]);
    process.env[name] = value;
  }
  clients = new AwsClients({ region: "us-east-1", maxAttempts: 1 });
});
afterAll(async () => {
  clients?.destroy();
  for (const [name, value] of savedEnv) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await sandbox?.close();
});

function finding(type: ResourceType, id: string, arnPath: string, service = "sagemaker"): Finding {
  return {
    id: `test:${arnPath}`,
    detector: "test",
    policy: "test",
    resource: {
      type,
      id,
      arn: `arn:aws:${service}:us-east-1:${ACCOUNT}:${arnPath}`,
      region: "us-east-1",
      tags: {},
    },
    owner: {},
    reason: "test",
    evidence: {},
    confidence: "high",
    monthlyCostUsd: 0,
    proposedAction: "stop",
  };
}

/** Runs the registered action, keeping what it saved as the store would (plain JSON). */
async function act(f: Finding, kind: "stop" | "delete", beforeSave?: () => void) {
  const action = getAction(f.resource.type, kind)!;
  let undo: UndoRecord | undefined;
  const outcome = await action.run(clients, f, async (u: ActionOutcome["undo"]) => {
    beforeSave?.();
    if (u) undo = JSON.parse(JSON.stringify({ ...u, findingId: f.id, savedAt: new Date().toISOString() }));
  });
  return { outcome, undo };
}

const sm = (): SageMakerClient => clients.sagemaker;

async function endpointTags(name: string): Promise<Record<string, string>> {
  const arn = `arn:aws:sagemaker:us-east-1:${ACCOUNT}:endpoint/${name}`;
  const out = await sm().send(new ListTagsCommand({ ResourceArn: arn }));
  return Object.fromEntries((out.Tags ?? []).map((t) => [t.Key!, t.Value!]));
}

describe("delete-endpoint and restore-endpoint", () => {
  it("deletes recsys-ab-test keeping config and models, and restores it InService with the same config and tags", async () => {
    const name = "recsys-ab-test";
    const before = await sm().send(new DescribeEndpointCommand({ EndpointName: name }));
    const tagsBefore = await endpointTags(name);
    expect(Object.keys(tagsBefore).length).toBeGreaterThan(0);
    let existedAtSave = false;

    const { outcome, undo } = await act(
      finding("sagemaker:endpoint", name, `endpoint/${name}`),
      "delete",
      () => {
        existedAtSave = sandbox.scenario.sagemaker.endpoints.some((e) => e.name === name);
      },
    );

    expect(outcome.result).toBe("done");
    expect(existedAtSave).toBe(true);
    await expect(sm().send(new DescribeEndpointCommand({ EndpointName: name }))).rejects.toMatchObject({
      name: "ValidationException",
      message: expect.stringContaining("Could not find endpoint"),
    });
    expect(sandbox.scenario.sagemaker.endpointConfigs.map((c) => c.name)).toContain("recsys-ab-test-config");
    expect(sandbox.scenario.sagemaker.models.map((m) => m.name)).toEqual(
      expect.arrayContaining(["recsys-model-a", "recsys-model-b"]),
    );
    expect(undo?.data).toMatchObject({
      endpointName: name,
      endpointConfigName: "recsys-ab-test-config",
      modelNames: ["recsys-model-a", "recsys-model-b"],
      tags: tagsBefore,
    });

    // A second run (a retried Lambda) finds it gone: success, nothing sent.
    sandbox.resetCounts();
    const again = await act(finding("sagemaker:endpoint", name, `endpoint/${name}`), "delete");
    expect(again.outcome).toMatchObject({ result: "already", fromState: "gone" });
    expect(sandbox.counts()["SageMaker.DeleteEndpoint"]).toBeUndefined();

    const restored = await getRestore("sagemaker:endpoint")!.run(clients, undo!);
    expect(restored.detail).toContain("re-created endpoint recsys-ab-test");
    const after = await sm().send(new DescribeEndpointCommand({ EndpointName: name }));
    expect(after.EndpointStatus).toBe("InService");
    expect(after.EndpointConfigName).toBe(before.EndpointConfigName);
    expect(after.ProductionVariants?.map((v) => [v.VariantName, v.CurrentInstanceCount])).toEqual(
      before.ProductionVariants?.map((v) => [v.VariantName, v.CurrentInstanceCount]),
    );
    expect(await endpointTags(name)).toEqual(tagsBefore);

    // Restoring twice (a double click on Undo) changes nothing.
    sandbox.resetCounts();
    const twice = await getRestore("sagemaker:endpoint")!.run(clients, undo!);
    expect(twice.detail).toContain("already restored");
    expect(sandbox.counts()["SageMaker.CreateEndpoint"]).toBeUndefined();
  });

  it("re-creates a deleted endpoint config (async output included) and its deleted model before the endpoint", async () => {
    const name = "batch-scoring-async";
    const configBefore = await sm().send(
      new DescribeEndpointConfigCommand({ EndpointConfigName: "batch-scoring-async-config" }),
    );
    const tagsBefore = await endpointTags(name);
    const { undo } = await act(finding("sagemaker:endpoint", name, `endpoint/${name}`), "delete");

    // Someone cleans up the config and its model after the delete.
    const world = sandbox.scenario.sagemaker;
    world.endpointConfigs = world.endpointConfigs.filter((c) => c.name !== "batch-scoring-async-config");
    world.models = world.models.filter((m) => m.name !== "batch-scoring-model");

    const { detail } = await getRestore("sagemaker:endpoint")!.run(clients, undo!);

    expect(detail).toContain(
      "re-created model batch-scoring-model, endpoint config batch-scoring-async-config",
    );
    const configAfter = await sm().send(
      new DescribeEndpointConfigCommand({ EndpointConfigName: "batch-scoring-async-config" }),
    );
    expect(configAfter.ProductionVariants).toEqual(configBefore.ProductionVariants);
    expect(configAfter.AsyncInferenceConfig).toEqual(configBefore.AsyncInferenceConfig);
    const after = await sm().send(new DescribeEndpointCommand({ EndpointName: name }));
    expect(after.EndpointStatus).toBe("InService");
    expect(await endpointTags(name)).toEqual(tagsBefore);
  });
});

describe("stop-notebook-instance and restore-notebook-instance", () => {
  it("stops maria-exploration; a second stop is `already`; a restore starts it again", async () => {
    const f = finding(
      "sagemaker:notebook-instance",
      "maria-exploration",
      "notebook-instance/maria-exploration",
    );
    const describe = () =>
      sm().send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: "maria-exploration" }));

    const first = await act(f, "stop");
    expect(first.outcome).toMatchObject({ result: "done", fromState: "InService" });
    expect((await describe()).NotebookInstanceStatus).toBe("Stopped");

    sandbox.resetCounts();
    const second = await act(f, "stop");
    expect(second.outcome).toMatchObject({ result: "already", fromState: "Stopped" });
    expect(second.undo).toBeUndefined();
    expect(sandbox.counts()["SageMaker.StopNotebookInstance"]).toBeUndefined();

    await getRestore("sagemaker:notebook-instance")!.run(clients, first.undo!);
    expect((await describe()).NotebookInstanceStatus).toBe("InService");
  });
});

describe("stop-training-job", () => {
  it("stops the runaway llm-finetune-overnight job, naming its checkpoints; a repeat is `already`", async () => {
    const f = finding(
      "sagemaker:training-job",
      "llm-finetune-overnight",
      "training-job/llm-finetune-overnight",
    );

    const first = await act(f, "stop");

    expect(first.outcome).toMatchObject({ result: "done", fromState: "InProgress" });
    expect(first.outcome.detail).toContain("s3://ml-experiments/checkpoints/llm-finetune-overnight/");
    expect(first.undo).toBeUndefined();
    const job = await sm().send(
      new DescribeTrainingJobCommand({ TrainingJobName: "llm-finetune-overnight" }),
    );
    expect(job.TrainingJobStatus).toBe("Stopped");

    const second = await act(f, "stop");
    expect(second.outcome).toMatchObject({ result: "already", fromState: "Stopped" });
  });
});

describe("stop-processing-job", () => {
  it("stops an InProgress processing job; a repeat is `already`", async () => {
    const now = Date.now();
    sandbox.scenario.sagemaker.processingJobs.push({
      name: "feature-backfill",
      status: "InProgress",
      creationTime: now - 30 * 3_600_000,
      processingStartTime: now - 30 * 3_600_000,
      lastModifiedTime: now - 30 * 3_600_000,
      instanceType: "ml.m5.4xlarge",
      instanceCount: 2,
      volumeSizeInGB: 100,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/SageMakerExecutionRole`,
      tags: {},
    });
    const f = finding("sagemaker:processing-job", "feature-backfill", "processing-job/feature-backfill");

    expect((await act(f, "stop")).outcome).toMatchObject({ result: "done", fromState: "InProgress" });
    expect((await act(f, "stop")).outcome).toMatchObject({ result: "already", fromState: "Stopped" });
  });
});

describe("stop-ec2-instance and restore-ec2-instance", () => {
  it("stops the idle GPU box, a repeat is `already`, and a restore starts it", async () => {
    const id = "i-0a1b2c3d4e5f60001";
    const f = finding("ec2:instance", id, `instance/${id}`, "ec2");
    const stateOf = () => sandbox.scenario.ec2.instances.find((i) => i.instanceId === id)?.state;

    const first = await act(f, "stop");
    expect(first.outcome).toMatchObject({ result: "done", fromState: "running" });
    expect(stateOf()).toBe("stopped");
    expect((await act(f, "stop")).outcome).toMatchObject({ result: "already", fromState: "stopped" });

    await getRestore("ec2:instance")!.run(clients, first.undo!);
    expect(stateOf()).toBe("running");
  });

  it("treats an instance that does not exist as already gone", async () => {
    const f = finding("ec2:instance", "i-0000000000000dead", "instance/i-0000000000000dead", "ec2");
    expect((await act(f, "stop")).outcome).toMatchObject({ result: "already", fromState: "gone" });
  });
});

describe("delete-studio-app and restore-studio-app", () => {
  it("deletes a space's JupyterLab app, a repeat is `already`, and a restore re-creates it with its instance type and tags", async () => {
    const now = Date.now();
    const studio = sandbox.scenario.sagemaker.studio;
    studio.domains.push({
      id: "d-sandbox00001",
      name: "ml-team",
      status: "InService",
      creationTime: now - 90 * 86_400_000,
      lastModifiedTime: now - 90 * 86_400_000,
      idleShutdown: {},
      tags: {},
    });
    studio.spaces.push({
      domainId: "d-sandbox00001",
      name: "Alice-Space",
      status: "InService",
      creationTime: now - 30 * 86_400_000,
      lastModifiedTime: now - 30 * 86_400_000,
      appType: "JupyterLab",
      tags: {},
    });
    studio.apps.push({
      domainId: "d-sandbox00001",
      spaceName: "Alice-Space",
      appType: "JupyterLab",
      appName: "default",
      status: "InService",
      instanceType: "ml.g5.xlarge",
      creationTime: now - 50 * 3_600_000,
      tags: { owner: "alice@example.com", team: "vision" },
    });
    const f: Finding = {
      ...finding(
        "sagemaker:app",
        "d-sandbox00001/Alice-Space/JupyterLab/default",
        "app/d-sandbox00001/alice-space/jupyterlab/default",
      ),
      evidence: {
        domainId: "d-sandbox00001",
        spaceName: "Alice-Space",
        appType: "JupyterLab",
        appName: "default",
      },
    };
    const live = () =>
      studio.apps
        .filter((a) => a.spaceName === "Alice-Space")
        .sort((a, b) => b.creationTime - a.creationTime)[0];

    const first = await act(f, "delete");

    expect(first.outcome).toMatchObject({ result: "done", fromState: "InService" });
    expect(live()?.status).toBe("Deleted");
    expect(first.undo?.data).toMatchObject({
      spaceName: "Alice-Space",
      appType: "JupyterLab",
      instanceType: "ml.g5.xlarge",
      tags: { owner: "alice@example.com", team: "vision" },
    });
    expect((await act(f, "delete")).outcome).toMatchObject({ result: "already", fromState: "Deleted" });

    await getRestore("sagemaker:app")!.run(clients, first.undo!);
    expect(live()).toMatchObject({
      status: "InService",
      instanceType: "ml.g5.xlarge",
      tags: { owner: "alice@example.com", team: "vision" },
    });
    const twice = await getRestore("sagemaker:app")!.run(clients, first.undo!);
    expect(twice.detail).toContain("already InService");
  });
});
