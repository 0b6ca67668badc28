/**
 * The sandbox operations the actions and restores rely on, with AWS's error shapes: what a
 * restore meets when something already exists, is missing, or is in the wrong state.
 */
import { EC2Client, StartInstancesCommand } from "@aws-sdk/client-ec2";
import {
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  DescribeNotebookInstanceCommand,
  ListTagsCommand,
  SageMakerClient,
  StartNotebookInstanceCommand,
  type Tag,
} from "@aws-sdk/client-sagemaker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../../shared/local/sandbox/server.ts";
import { demoScenario } from "../../fixtures/local.ts";

let sandbox: Sandbox;
const config = () => ({
  endpoint: sandbox.url,
  region: "us-east-1",
  credentials: { accessKeyId: "sandbox", secretAccessKey: "sandbox" },
  maxAttempts: 1,
});
const sm = () => new SageMakerClient(config());
const ec2 = () => new EC2Client(config());
const ROLE = "arn:aws:iam::123456789012:role/SageMakerExecutionRole";

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: demoScenario(new Date()), port: 0 });
});
afterAll(async () => {
  await sandbox?.close();
});

describe("CreateModel and CreateEndpointConfig", () => {
  it("create a model and a config that DescribeX then return", async () => {
    await sm().send(
      new CreateModelCommand({
        ModelName: "restored-model",
        PrimaryContainer: { Image: "img:1", ModelDataUrl: "s3://b/model.tar.gz" },
        ExecutionRoleArn: ROLE,
      }),
    );
    const model = await sm().send(new DescribeModelCommand({ ModelName: "restored-model" }));
    expect(model.PrimaryContainer).toMatchObject({ Image: "img:1", ModelDataUrl: "s3://b/model.tar.gz" });
    expect(model.ExecutionRoleArn).toBe(ROLE);

    await sm().send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: "restored-config",
        ProductionVariants: [
          {
            VariantName: "A",
            ModelName: "restored-model",
            InstanceType: "ml.g5.xlarge",
            InitialInstanceCount: 2,
          },
          {
            VariantName: "S",
            ModelName: "restored-model",
            ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 5 },
          },
        ],
        AsyncInferenceConfig: { OutputConfig: { S3OutputPath: "s3://b/out/" } },
      }),
    );
    const cfg = await sm().send(new DescribeEndpointConfigCommand({ EndpointConfigName: "restored-config" }));
    expect(
      cfg.ProductionVariants?.map((v) => [v.VariantName, v.InstanceType, v.InitialInstanceCount]),
    ).toEqual([
      ["A", "ml.g5.xlarge", 2],
      ["S", undefined, undefined],
    ]);
    expect(cfg.ProductionVariants?.[1]?.ServerlessConfig).toMatchObject({
      MemorySizeInMB: 2048,
      MaxConcurrency: 5,
    });
    expect(cfg.AsyncInferenceConfig).toEqual({ OutputConfig: { S3OutputPath: "s3://b/out/" } });
  });

  it("answer AWS's ValidationException for a name that exists, a missing model, or settings not modelled", async () => {
    await expect(
      sm().send(
        new CreateModelCommand({
          ModelName: "fraud-scorer-v1-model",
          PrimaryContainer: { Image: "x" },
          ExecutionRoleArn: ROLE,
        }),
      ),
    ).rejects.toMatchObject({
      name: "ValidationException",
      message: expect.stringContaining("already existing model"),
    });
    const variant = {
      VariantName: "A",
      ModelName: "fraud-scorer-v1-model",
      InstanceType: "ml.m5.large" as const,
      InitialInstanceCount: 1,
    };
    await expect(
      sm().send(
        new CreateEndpointConfigCommand({
          EndpointConfigName: "fraud-scorer-v1-config",
          ProductionVariants: [variant],
        }),
      ),
    ).rejects.toMatchObject({
      name: "ValidationException",
      message: expect.stringContaining("already existing endpoint configuration"),
    });
    await expect(
      sm().send(
        new CreateEndpointConfigCommand({
          EndpointConfigName: "x-config",
          ProductionVariants: [{ ...variant, ModelName: "no-such-model" }],
        }),
      ),
    ).rejects.toMatchObject({
      name: "ValidationException",
      message: expect.stringContaining("Could not find model"),
    });
    await expect(
      sm().send(
        new CreateEndpointConfigCommand({
          EndpointConfigName: "x-config",
          ProductionVariants: [variant],
          DataCaptureConfig: {
            InitialSamplingPercentage: 10,
            DestinationS3Uri: "s3://b/capture/",
            CaptureOptions: [{ CaptureMode: "Input" }],
          },
        }),
      ),
    ).rejects.toMatchObject({
      name: "ValidationException",
      message: expect.stringContaining("DataCaptureConfig"),
    });
  });
});

describe("StartNotebookInstance", () => {
  it("starts a Stopped notebook and refuses an InService one or an unknown one as AWS does", async () => {
    await sm().send(new StartNotebookInstanceCommand({ NotebookInstanceName: "old-experiments" }));
    const nb = await sm().send(
      new DescribeNotebookInstanceCommand({ NotebookInstanceName: "old-experiments" }),
    );
    expect(nb.NotebookInstanceStatus).toBe("InService");

    await expect(
      sm().send(new StartNotebookInstanceCommand({ NotebookInstanceName: "old-experiments" })),
    ).rejects.toMatchObject({
      name: "ValidationException",
      message: expect.stringContaining("Status (InService)"),
    });
    await expect(
      sm().send(new StartNotebookInstanceCommand({ NotebookInstanceName: "nope" })),
    ).rejects.toMatchObject({ name: "ValidationException", message: "RecordNotFound" });
  });
});

describe("StartInstances", () => {
  it("answers pending for a stopped instance, and AWS's error codes otherwise", async () => {
    const box = sandbox.scenario.ec2.instances.find((i) => i.instanceId === "i-0a1b2c3d4e5f60002")!;
    box.state = "stopped";
    const out = await ec2().send(new StartInstancesCommand({ InstanceIds: [box.instanceId] }));
    expect(out.StartingInstances?.[0]).toMatchObject({
      InstanceId: box.instanceId,
      CurrentState: { Name: "pending", Code: 0 },
      PreviousState: { Name: "stopped", Code: 80 },
    });
    expect(box.state).toBe("running");

    box.state = "terminated";
    await expect(
      ec2().send(new StartInstancesCommand({ InstanceIds: [box.instanceId] })),
    ).rejects.toMatchObject({
      name: "IncorrectInstanceState",
    });
    await expect(
      ec2().send(new StartInstancesCommand({ InstanceIds: ["i-0000000000000dead"] })),
    ).rejects.toMatchObject({ name: "InvalidInstanceID.NotFound" });
  });
});

describe("ListTags", () => {
  it("pages an endpoint's tags", async () => {
    const arn = "arn:aws:sagemaker:us-east-1:123456789012:endpoint/fraud-scorer-v1";
    const tags: Tag[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await sm().send(new ListTagsCommand({ ResourceArn: arn, MaxResults: 2, NextToken: token }));
      tags.push(...(out.Tags ?? []));
      token = out.NextToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(tags.map((t) => t.Key)).toEqual(["owner", "team", "project", "environment", "cost-center"]);
  });
});
