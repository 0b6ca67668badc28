import {
  AddTagsCommand,
  CreateEndpointCommand,
  DeleteEndpointCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeNotebookInstanceCommand,
  DescribeTrainingJobCommand,
  ListEndpointsCommand,
  ListTagsCommand,
  paginateListEndpoints,
  paginateSearch,
  SageMakerClient,
  SearchCommand,
  StopNotebookInstanceCommand,
  StopTrainingJobCommand,
} from "@aws-sdk/client-sagemaker";
import { beforeEach, describe, expect, it } from "vitest";
import { clientConfig, DAY, manyEndpoints, NOW, useSandbox, world } from "./helpers.ts";

const ctx = useSandbox(() => {
  const s = world(manyEndpoints(250));
  const demo = world({
    sagemaker: {
      models: [{ name: "m", image: "img", created: "-100d" }],
      endpointConfigs: [
        {
          name: "async-cfg",
          created: "-10d",
          variants: [{ modelName: "m", instanceType: "ml.g5.xlarge", initialInstanceCount: 1 }],
          asyncInference: { outputS3Uri: "s3://b/out/" },
        },
        {
          name: "sls-cfg",
          created: "-10d",
          variants: [{ modelName: "m", serverlessConfig: { memorySizeInMB: 2048, maxConcurrency: 5 } }],
        },
      ],
      endpoints: [
        { name: "Async-Ep", configName: "async-cfg", created: "-9d", tags: { owner: "a@example.com" } },
        { name: "sls-ep", configName: "sls-cfg", created: "-9d", status: "Failed" },
      ],
      notebookInstances: [{ name: "nb", status: "InService", instanceType: "ml.t3.medium", created: "-3d" }],
      trainingJobs: [
        {
          name: "job",
          status: "InProgress",
          created: "-11d",
          started: "-11d",
          instanceType: "ml.p3.8xlarge",
          instanceCount: 4,
          maxRuntimeInSeconds: 2419200,
          checkpointS3Uri: "s3://b/ckpt/",
        },
      ],
    },
  });
  s.sagemaker.models.push(...demo.sagemaker.models.filter((m) => m.name !== "m"));
  s.sagemaker.endpointConfigs.push(...demo.sagemaker.endpointConfigs);
  s.sagemaker.endpoints.push(...demo.sagemaker.endpoints);
  s.sagemaker.notebookInstances.push(...demo.sagemaker.notebookInstances);
  s.sagemaker.trainingJobs.push(...demo.sagemaker.trainingJobs);
  return s;
});
const sm = () => new SageMakerClient(clientConfig(ctx.sandbox, { maxAttempts: 1 }));

beforeEach(() => ctx.sandbox.resetCounts());

describe("SageMaker ListEndpoints", () => {
  it("walks 252 endpoints in 3 pages of 100", async () => {
    const names: string[] = [];
    for await (const page of paginateListEndpoints({ client: sm(), pageSize: 100 }, {})) {
      names.push(...(page.Endpoints ?? []).map((e) => e.EndpointName!));
    }
    expect(names).toHaveLength(252);
    expect(new Set(names).size).toBe(252);
    expect(ctx.sandbox.counts()["SageMaker.ListEndpoints"]).toBe(3);
  });

  it("defaults to 10 per page, newest first, with Dates", async () => {
    const out = await sm().send(new ListEndpointsCommand({}));
    expect(out.Endpoints).toHaveLength(10);
    expect(out.NextToken).toBeTypeOf("string");
    const times = out.Endpoints!.map((e) => e.CreationTime!);
    expect(times[0]).toBeInstanceOf(Date);
    expect(times[0]!.getTime()).toBeGreaterThan(times[1]!.getTime());
  });

  it("refuses MaxResults 101 with ValidationException", async () => {
    await expect(sm().send(new ListEndpointsCommand({ MaxResults: 101 }))).rejects.toMatchObject({
      name: "ValidationException",
      $metadata: { httpStatusCode: 400 },
    });
  });

  it("filters by status, name and creation time", async () => {
    const failed = await sm().send(new ListEndpointsCommand({ StatusEquals: "Failed" }));
    expect(failed.Endpoints?.map((e) => e.EndpointName)).toEqual(["sls-ep"]);
    const byName = await sm().send(new ListEndpointsCommand({ NameContains: "async", MaxResults: 100 }));
    expect(byName.Endpoints?.map((e) => e.EndpointName)).toEqual(["Async-Ep"]);
    const recent = await sm().send(
      new ListEndpointsCommand({
        CreationTimeAfter: new Date(NOW.getTime() - 5.5 * 3_600_000),
        MaxResults: 100,
      }),
    );
    expect(recent.Endpoints).toHaveLength(5);
  });

  it("rejects a token from another operation", async () => {
    const first = await sm().send(new SearchCommand({ Resource: "Endpoint", MaxResults: 1 }));
    await expect(sm().send(new ListEndpointsCommand({ NextToken: first.NextToken! }))).rejects.toMatchObject({
      name: "ValidationException",
    });
  });
});

describe("SageMaker describe calls", () => {
  it("describes an async endpoint and its config, ARN lowercased", async () => {
    const ep = await sm().send(new DescribeEndpointCommand({ EndpointName: "Async-Ep" }));
    expect(ep.EndpointArn).toBe("arn:aws:sagemaker:us-east-1:123456789012:endpoint/async-ep");
    expect(ep.ProductionVariants).toEqual([
      expect.objectContaining({ VariantName: "AllTraffic", CurrentInstanceCount: 1, CurrentWeight: 1 }),
    ]);
    expect(ep.AsyncInferenceConfig?.OutputConfig?.S3OutputPath).toBe("s3://b/out/");
    expect(ep.CreationTime?.getTime()).toBe(NOW.getTime() - 9 * DAY);
    const cfg = await sm().send(new DescribeEndpointConfigCommand({ EndpointConfigName: "async-cfg" }));
    expect(cfg.ProductionVariants?.[0]).toMatchObject({
      ModelName: "m",
      InstanceType: "ml.g5.xlarge",
      InitialInstanceCount: 1,
    });
  });

  it("reports serverless variants", async () => {
    const ep = await sm().send(new DescribeEndpointCommand({ EndpointName: "sls-ep" }));
    expect(ep.ProductionVariants?.[0]?.CurrentServerlessConfig).toEqual({
      MemorySizeInMB: 2048,
      MaxConcurrency: 5,
    });
    expect(ep.ProductionVariants?.[0]?.CurrentInstanceCount).toBeUndefined();
  });

  it("answers ValidationException for an unknown endpoint, as AWS does", async () => {
    await expect(sm().send(new DescribeEndpointCommand({ EndpointName: "gone" }))).rejects.toMatchObject({
      name: "ValidationException",
      message: 'Could not find endpoint "gone".',
    });
  });

  it("describes a training job with its resources and stopping condition", async () => {
    const job = await sm().send(new DescribeTrainingJobCommand({ TrainingJobName: "job" }));
    expect(job.ResourceConfig).toMatchObject({ InstanceType: "ml.p3.8xlarge", InstanceCount: 4 });
    expect(job.StoppingCondition?.MaxRuntimeInSeconds).toBe(2419200);
    expect(job.EnableManagedSpotTraining).toBe(false);
    expect(job.CheckpointConfig?.S3Uri).toBe("s3://b/ckpt/");
    expect(job.TrainingStartTime).toBeInstanceOf(Date);
    await expect(
      sm().send(new DescribeTrainingJobCommand({ TrainingJobName: "nope" })),
    ).rejects.toMatchObject({
      name: "ResourceNotFound",
    });
  });
});

describe("SageMaker Search", () => {
  it("pages endpoints with tags and filters on status", async () => {
    let count = 0;
    for await (const page of paginateSearch({ client: sm(), pageSize: 100 }, { Resource: "Endpoint" })) {
      count += page.Results?.length ?? 0;
    }
    expect(count).toBe(252);
    const out = await sm().send(
      new SearchCommand({
        Resource: "Endpoint",
        SearchExpression: { Filters: [{ Name: "EndpointStatus", Operator: "Equals", Value: "Failed" }] },
      }),
    );
    expect(out.Results?.map((r) => r.Endpoint?.EndpointName)).toEqual(["sls-ep"]);
    const tagged = await sm().send(
      new SearchCommand({
        Resource: "Endpoint",
        SearchExpression: { Filters: [{ Name: "Tags.owner", Operator: "Equals", Value: "a@example.com" }] },
      }),
    );
    expect(tagged.Results?.[0]?.Endpoint?.Tags).toEqual([{ Key: "owner", Value: "a@example.com" }]);
  });

  it("refuses filters and resources it does not model", async () => {
    await expect(
      sm().send(
        new SearchCommand({
          Resource: "Endpoint",
          SearchExpression: {
            Filters: [{ Name: "ProductionVariants.InstanceType", Operator: "Equals", Value: "x" }],
          },
        }),
      ),
    ).rejects.toMatchObject({ name: "ValidationException" });
    await expect(sm().send(new SearchCommand({ Resource: "Model" }))).rejects.toMatchObject({
      name: "ValidationException",
    });
    await expect(
      sm().send(new SearchCommand({ Resource: "Endpoint", MaxResults: 101 })),
    ).rejects.toMatchObject({
      name: "ValidationException",
    });
  });
});

describe("SageMaker mutations change the live world", () => {
  it("deletes and recreates an endpoint with its tags", async () => {
    const client = sm();
    await client.send(new DeleteEndpointCommand({ EndpointName: "Async-Ep" }));
    expect(ctx.sandbox.scenario.sagemaker.endpoints.some((e) => e.name === "Async-Ep")).toBe(false);
    await expect(
      client.send(new DescribeEndpointCommand({ EndpointName: "Async-Ep" })),
    ).rejects.toMatchObject({
      name: "ValidationException",
    });
    const created = await client.send(
      new CreateEndpointCommand({
        EndpointName: "Async-Ep",
        EndpointConfigName: "async-cfg",
        Tags: [{ Key: "owner", Value: "a@example.com" }],
      }),
    );
    expect(created.EndpointArn).toMatch(/endpoint\/async-ep$/);
    const tags = await client.send(new ListTagsCommand({ ResourceArn: created.EndpointArn! }));
    expect(tags.Tags).toEqual([{ Key: "owner", Value: "a@example.com" }]);
    await client.send(
      new AddTagsCommand({ ResourceArn: created.EndpointArn!, Tags: [{ Key: "team", Value: "x" }] }),
    );
    const again = await client.send(new ListTagsCommand({ ResourceArn: created.EndpointArn! }));
    expect(again.Tags).toHaveLength(2);
    await expect(
      client.send(new CreateEndpointCommand({ EndpointName: "Async-Ep", EndpointConfigName: "async-cfg" })),
    ).rejects.toMatchObject({ name: "ValidationException" });
  });

  it("stops a notebook and a training job once", async () => {
    const client = sm();
    await client.send(new StopNotebookInstanceCommand({ NotebookInstanceName: "nb" }));
    const nb = await client.send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: "nb" }));
    expect(nb.NotebookInstanceStatus).toBe("Stopped");
    await expect(
      client.send(new StopNotebookInstanceCommand({ NotebookInstanceName: "nb" })),
    ).rejects.toMatchObject({
      name: "ValidationException",
    });
    await client.send(new StopTrainingJobCommand({ TrainingJobName: "job" }));
    const job = await client.send(new DescribeTrainingJobCommand({ TrainingJobName: "job" }));
    expect(job.TrainingJobStatus).toBe("Stopped");
    expect(job.TrainingEndTime).toBeInstanceOf(Date);
  });
});
