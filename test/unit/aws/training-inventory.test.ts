import {
  DescribeProcessingJobCommand,
  ListProcessingJobsCommand,
  ListTagsCommand,
  SageMakerClient,
  SearchCommand,
} from "@aws-sdk/client-sagemaker";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { loadTrainingJobs } from "../../../shared/aws/training-inventory.ts";

const sm = mockClient(SageMakerClient);
const client = new SageMakerClient({ region: "us-east-1" });
const STARTED = new Date("2026-11-12T12:10:00Z");
const arn = (kind: string, name: string) => `arn:aws:sagemaker:us-east-1:123456789012:${kind}/${name}`;

beforeEach(() => {
  sm.reset();
  sm.on(ListProcessingJobsCommand).resolves({ ProcessingJobSummaries: [] });
  sm.on(SearchCommand).resolves({ Results: [] });
});

describe("loadTrainingJobs", () => {
  it("reads training jobs in progress with one filtered Search per 100, config and tags included", async () => {
    sm.on(SearchCommand)
      .resolvesOnce({
        Results: [
          {
            TrainingJob: {
              TrainingJobName: "llm-finetune",
              TrainingJobArn: arn("training-job", "llm-finetune"),
              TrainingJobStatus: "InProgress",
              CreationTime: STARTED,
              TrainingStartTime: STARTED,
              ResourceConfig: { InstanceType: "ml.p3.8xlarge", InstanceCount: 4, VolumeSizeInGB: 500 },
              StoppingCondition: { MaxRuntimeInSeconds: 2_419_200 },
              EnableManagedSpotTraining: false,
              CheckpointConfig: { S3Uri: "s3://ckpt/llm/" },
              Tags: [
                { Key: "team", Value: "nlp" },
                {
                  Key: "sagemaker:user-profile-arn",
                  Value: "arn:aws:sagemaker:us-east-1:123456789012:user-profile/d-abc123/sam",
                },
              ],
            },
          },
        ],
        NextToken: "next",
      })
      .resolvesOnce({
        Results: [
          {
            TrainingJob: {
              TrainingJobName: "hetero",
              TrainingJobArn: arn("training-job", "hetero"),
              TrainingJobStatus: "InProgress",
              CreationTime: STARTED,
              ResourceConfig: {
                VolumeSizeInGB: 50,
                InstanceGroups: [
                  { InstanceGroupName: "gpu", InstanceType: "ml.p4d.24xlarge", InstanceCount: 2 },
                  { InstanceGroupName: "cpu", InstanceType: "ml.c5.4xlarge", InstanceCount: 4 },
                ],
              },
              TuningJobArn: arn("hyper-parameter-tuning-job", "hpo-1"),
            },
          },
        ],
      });

    const jobs = await loadTrainingJobs(client, "us-east-1");

    expect(sm).toHaveReceivedCommandTimes(SearchCommand, 2);
    expect(sm).toHaveReceivedNthCommandWith(SearchCommand, 1, {
      Resource: "TrainingJob",
      MaxResults: 100,
      SearchExpression: { Filters: [{ Name: "TrainingJobStatus", Operator: "Equals", Value: "InProgress" }] },
    });
    expect(jobs).toEqual([
      {
        name: "llm-finetune",
        arn: arn("training-job", "llm-finetune"),
        region: "us-east-1",
        kind: "training",
        status: "InProgress",
        creationTime: STARTED,
        startTime: STARTED,
        instanceType: "ml.p3.8xlarge",
        instanceCount: 4,
        maxRuntimeInSeconds: 2_419_200,
        managedSpot: false,
        checkpointS3Uri: "s3://ckpt/llm/",
        createdBy: "Studio user profile sam",
        tags: expect.objectContaining({ team: "nlp" }),
      },
      expect.objectContaining({
        name: "hetero",
        instanceType: "ml.p4d.24xlarge",
        instanceCount: 2,
        instanceGroups: [
          { instanceType: "ml.p4d.24xlarge", instanceCount: 2 },
          { instanceType: "ml.c5.4xlarge", instanceCount: 4 },
        ],
        tuningJobArn: arn("hyper-parameter-tuning-job", "hpo-1"),
      }),
    ]);
    expect(jobs[1]).not.toHaveProperty("startTime");
  });

  it("lists processing jobs in progress, then describes and reads tags for those only", async () => {
    sm.on(ListProcessingJobsCommand).resolves({
      ProcessingJobSummaries: [
        {
          ProcessingJobName: "backfill",
          ProcessingJobArn: arn("processing-job", "backfill"),
          CreationTime: STARTED,
          ProcessingJobStatus: "InProgress",
        },
        {
          ProcessingJobName: "vanished",
          ProcessingJobArn: arn("processing-job", "vanished"),
          CreationTime: STARTED,
          ProcessingJobStatus: "InProgress",
        },
      ],
    });
    sm.on(DescribeProcessingJobCommand, { ProcessingJobName: "backfill" }).resolves({
      ProcessingJobName: "backfill",
      ProcessingJobArn: arn("processing-job", "backfill"),
      ProcessingJobStatus: "InProgress",
      CreationTime: STARTED,
      ProcessingStartTime: STARTED,
      ProcessingResources: {
        ClusterConfig: { InstanceType: "ml.m5.4xlarge", InstanceCount: 4, VolumeSizeInGB: 30 },
      },
      AppSpecification: { ImageUri: "img" },
    });
    sm.on(DescribeProcessingJobCommand, { ProcessingJobName: "vanished" }).rejects(
      Object.assign(new Error("gone"), { name: "ResourceNotFound" }),
    );
    sm.on(ListTagsCommand).resolves({ Tags: [{ Key: "owner", Value: "dev@example.com" }] });

    const jobs = await loadTrainingJobs(client, "us-east-1");

    expect(sm).toHaveReceivedCommandWith(ListProcessingJobsCommand, {
      StatusEquals: "InProgress",
      MaxResults: 100,
    });
    expect(sm).toHaveReceivedCommandTimes(DescribeProcessingJobCommand, 2);
    expect(sm).toHaveReceivedCommandTimes(ListTagsCommand, 1);
    expect(sm).toHaveReceivedCommandWith(ListTagsCommand, { ResourceArn: arn("processing-job", "backfill") });
    expect(jobs).toEqual([
      {
        name: "backfill",
        arn: arn("processing-job", "backfill"),
        region: "us-east-1",
        kind: "processing",
        status: "InProgress",
        creationTime: STARTED,
        startTime: STARTED,
        instanceType: "ml.m5.4xlarge",
        instanceCount: 4,
        managedSpot: false,
        tags: { owner: "dev@example.com" },
      },
    ]);
  });

  it("fails the inventory on any other error, so the scan reports it", async () => {
    sm.on(ListProcessingJobsCommand).rejects(
      Object.assign(new Error("slow down"), { name: "ThrottlingException" }),
    );
    await expect(loadTrainingJobs(client, "us-east-1")).rejects.toThrow("slow down");
  });
});
