/**
 * The sandbox's job calls the runaway-training-job inventory makes: Search over training jobs
 * (filtered on status, whole config and tags per record) and the processing job calls.
 */
import {
  DescribeProcessingJobCommand,
  ListProcessingJobsCommand,
  ListTagsCommand,
  paginateListProcessingJobs,
  paginateSearch,
  SageMakerClient,
  SearchCommand,
  StopProcessingJobCommand,
} from "@aws-sdk/client-sagemaker";
import { describe, expect, it } from "vitest";
import { clientConfig, DAY, HOUR, NOW, useSandbox, world } from "./helpers.ts";

const trainingJobs = Array.from({ length: 130 }, (_, i) => ({
  name: `sweep-${String(i).padStart(3, "0")}`,
  status: i < 105 ? "Completed" : "InProgress",
  created: "-3d",
  started: "-2d",
  ...(i < 105 ? { ended: "-1d" } : {}),
  instanceType: "ml.g5.xlarge",
  instanceCount: 1,
  maxRuntimeInSeconds: 86_400,
  enableManagedSpotTraining: i % 2 === 0,
  ...(i % 2 === 0 ? { checkpointS3Uri: `s3://ckpt/sweep-${i}/` } : {}),
  tags: { team: "nlp" },
}));

const processingJobs = [
  ...Array.from({ length: 12 }, (_, i) => ({
    name: `etl-${String(i).padStart(2, "0")}`,
    status: "InProgress",
    created: `-${i + 1}h`,
    started: `-${i}h50m`,
    instanceType: "ml.m5.xlarge",
    instanceCount: 2,
    maxRuntimeInSeconds: 7200,
    tags: i === 0 ? { owner: "ana@example.com" } : {},
  })),
  {
    name: "backfill",
    status: "InProgress",
    created: "-30h",
    started: "-29h45m",
    instanceType: "ml.m5.4xlarge",
    instanceCount: 4,
  },
  {
    name: "done",
    status: "Completed",
    created: "-5d",
    started: "-5d",
    ended: "-4d",
    instanceType: "ml.m5.large",
    instanceCount: 1,
  },
];

const ctx = useSandbox(() => world({ sagemaker: { trainingJobs, processingJobs } }));
const sm = () => new SageMakerClient(clientConfig(ctx.sandbox, { maxAttempts: 1 }));

describe("SageMaker Search over training jobs", () => {
  it("filters on status and returns each job's config, stopping condition and tags", async () => {
    const jobs = [];
    let pages = 0;
    for await (const page of paginateSearch(
      { client: sm(), pageSize: 100 },
      {
        Resource: "TrainingJob",
        MaxResults: 100,
        SearchExpression: {
          Filters: [{ Name: "TrainingJobStatus", Operator: "Equals", Value: "InProgress" }],
        },
      },
    )) {
      pages++;
      jobs.push(...(page.Results ?? []).map((r) => r.TrainingJob!));
    }
    expect(pages).toBe(1);
    expect(jobs).toHaveLength(25);
    expect(jobs.every((j) => j.TrainingJobStatus === "InProgress")).toBe(true);
    const spot = jobs.find((j) => j.TrainingJobName === "sweep-106")!;
    expect(spot).toMatchObject({
      TrainingJobArn: "arn:aws:sagemaker:us-east-1:123456789012:training-job/sweep-106",
      ResourceConfig: { InstanceType: "ml.g5.xlarge", InstanceCount: 1 },
      StoppingCondition: { MaxRuntimeInSeconds: 86_400 },
      EnableManagedSpotTraining: true,
      CheckpointConfig: { S3Uri: "s3://ckpt/sweep-106/" },
      Tags: [{ Key: "team", Value: "nlp" }],
    });
    expect(spot.TrainingStartTime).toEqual(new Date(NOW.getTime() - 2 * DAY));
  });

  it("pages all 130 jobs 100 at a time without a filter", async () => {
    const out = await sm().send(new SearchCommand({ Resource: "TrainingJob", MaxResults: 100 }));
    expect(out.Results).toHaveLength(100);
    expect(out.NextToken).toBeDefined();
    const next = await sm().send(
      new SearchCommand({ Resource: "TrainingJob", MaxResults: 100, NextToken: out.NextToken }),
    );
    expect(next.Results).toHaveLength(30);
    expect(next.NextToken).toBeUndefined();
  });

  it("refuses filters it does not model rather than ignoring them", async () => {
    await expect(
      sm().send(
        new SearchCommand({
          Resource: "TrainingJob",
          SearchExpression: { Filters: [{ Name: "HyperParameters.lr", Operator: "Equals", Value: "1" }] },
        }),
      ),
    ).rejects.toMatchObject({ name: "ValidationException" });
  });
});

describe("SageMaker processing jobs", () => {
  it("lists in-progress jobs 100 per page at most, newest first by default", async () => {
    const names: string[] = [];
    for await (const page of paginateListProcessingJobs(
      { client: sm(), pageSize: 5 },
      { StatusEquals: "InProgress", MaxResults: 5 },
    )) {
      names.push(...(page.ProcessingJobSummaries ?? []).map((s) => s.ProcessingJobName!));
    }
    expect(names).toHaveLength(13);
    expect(names[0]).toBe("etl-00");
    expect(names).not.toContain("done");
    await expect(sm().send(new ListProcessingJobsCommand({ MaxResults: 101 }))).rejects.toMatchObject({
      name: "ValidationException",
    });
  });

  it("describes a job's cluster, stopping condition (or none) and times, without tags", async () => {
    const etl = await sm().send(new DescribeProcessingJobCommand({ ProcessingJobName: "etl-00" }));
    expect(etl).toMatchObject({
      ProcessingJobArn: "arn:aws:sagemaker:us-east-1:123456789012:processing-job/etl-00",
      ProcessingJobStatus: "InProgress",
      ProcessingResources: { ClusterConfig: { InstanceType: "ml.m5.xlarge", InstanceCount: 2 } },
      StoppingCondition: { MaxRuntimeInSeconds: 7200 },
    });
    expect(etl.ProcessingStartTime).toEqual(new Date(NOW.getTime() - 50 * 60_000));
    expect("Tags" in etl).toBe(false);
    const backfill = await sm().send(new DescribeProcessingJobCommand({ ProcessingJobName: "backfill" }));
    expect(backfill.StoppingCondition).toBeUndefined();
    expect(backfill.CreationTime).toEqual(new Date(NOW.getTime() - 30 * HOUR));
    const tags = await sm().send(new ListTagsCommand({ ResourceArn: etl.ProcessingJobArn }));
    expect(tags.Tags).toEqual([{ Key: "owner", Value: "ana@example.com" }]);
  });

  it("answers ResourceNotFound for an unknown job and stops a running one once", async () => {
    await expect(
      sm().send(new DescribeProcessingJobCommand({ ProcessingJobName: "nope" })),
    ).rejects.toMatchObject({ name: "ResourceNotFound" });
    await sm().send(new StopProcessingJobCommand({ ProcessingJobName: "etl-11" }));
    const stopped = await sm().send(new DescribeProcessingJobCommand({ ProcessingJobName: "etl-11" }));
    expect(stopped.ProcessingJobStatus).toBe("Stopped");
    await expect(
      sm().send(new StopProcessingJobCommand({ ProcessingJobName: "etl-11" })),
    ).rejects.toMatchObject({ name: "ValidationException" });
  });
});
