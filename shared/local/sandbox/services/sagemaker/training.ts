import { sagemakerArn } from "../../arn.ts";
import { SandboxError } from "../../errors.ts";
import { reqString } from "../../protocol/input.ts";
import type { JsonHandler, SandboxContext } from "../../service.ts";
import type { SbTrainingJob } from "../../types.ts";
import { byCreation, byName, listPage, validation } from "./common.ts";

function findJob(ctx: SandboxContext, name: string): SbTrainingJob {
  const j = ctx.scenario.sagemaker.trainingJobs.find((x) => x.name === name);
  // Training calls, unlike most of SageMaker, have a modelled not-found error.
  if (!j) throw new SandboxError("ResourceNotFound", "Requested resource not found.");
  return j;
}

const secondaryStatus: Record<SbTrainingJob["status"], string> = {
  InProgress: "Training",
  Completed: "Completed",
  Failed: "Failed",
  Stopping: "Stopping",
  Stopped: "Stopped",
};

const ListTrainingJobs: JsonHandler = (input, ctx) => {
  const { page, nextToken } = listPage(input, "ListTrainingJobs", ctx.scenario.sagemaker.trainingJobs, {
    status: (j) => j.status,
    sortKeys: { Name: byName, CreationTime: byCreation, Status: (j) => j.status },
    defaultSortBy: "CreationTime",
    defaultOrder: "Ascending",
  });
  return {
    TrainingJobSummaries: page.map((j) => ({
      TrainingJobName: j.name,
      TrainingJobArn: sagemakerArn(ctx.scenario, "training-job", j.name),
      CreationTime: new Date(j.creationTime),
      TrainingEndTime: j.trainingEndTime === undefined ? undefined : new Date(j.trainingEndTime),
      LastModifiedTime: new Date(j.lastModifiedTime),
      TrainingJobStatus: j.status,
      SecondaryStatus: secondaryStatus[j.status],
    })),
    NextToken: nextToken,
  };
};

/** What DescribeTrainingJob answers, and Search returns (with Tags) for each training job. */
export function trainingJobDescription(j: SbTrainingJob, ctx: SandboxContext) {
  const seconds =
    j.trainingStartTime === undefined
      ? undefined
      : Math.round(((j.trainingEndTime ?? ctx.now) - j.trainingStartTime) / 1000);
  const ended = j.trainingEndTime !== undefined;
  return {
    TrainingJobName: j.name,
    TrainingJobArn: sagemakerArn(ctx.scenario, "training-job", j.name),
    TrainingJobStatus: j.status,
    SecondaryStatus: secondaryStatus[j.status],
    AlgorithmSpecification: {
      TrainingImage: `763104351884.dkr.ecr.${ctx.scenario.region}.amazonaws.com/pytorch-training:2.1-gpu-py310`,
      TrainingInputMode: "File",
    },
    RoleArn: j.roleArn,
    OutputDataConfig: {
      S3OutputPath: `s3://sagemaker-${ctx.scenario.region}-${ctx.scenario.accountId}/${j.name}/output`,
    },
    ResourceConfig: {
      InstanceType: j.instanceType,
      InstanceCount: j.instanceCount,
      VolumeSizeInGB: j.volumeSizeInGB,
    },
    StoppingCondition: {
      MaxRuntimeInSeconds: j.maxRuntimeInSeconds,
      // Spot jobs must say how long they may wait for capacity; AWS requires it ≥ the runtime.
      MaxWaitTimeInSeconds: j.enableManagedSpotTraining ? j.maxRuntimeInSeconds * 2 : undefined,
    },
    EnableManagedSpotTraining: j.enableManagedSpotTraining,
    CheckpointConfig: j.checkpointS3Uri
      ? { S3Uri: j.checkpointS3Uri, LocalPath: "/opt/ml/checkpoints" }
      : undefined,
    CreationTime: new Date(j.creationTime),
    TrainingStartTime: j.trainingStartTime === undefined ? undefined : new Date(j.trainingStartTime),
    TrainingEndTime: ended ? new Date(j.trainingEndTime!) : undefined,
    LastModifiedTime: new Date(j.lastModifiedTime),
    TrainingTimeInSeconds: ended ? seconds : undefined,
    BillableTimeInSeconds:
      ended && seconds !== undefined
        ? Math.round(seconds * (j.enableManagedSpotTraining ? 0.3 : 1))
        : undefined,
  };
}

const DescribeTrainingJob: JsonHandler = (input, ctx) =>
  trainingJobDescription(findJob(ctx, reqString(input, "TrainingJobName")), ctx);

/** AWS passes through "Stopping"; the sandbox lands on "Stopped" at once. */
const StopTrainingJob: JsonHandler = (input, ctx) => {
  const j = findJob(ctx, reqString(input, "TrainingJobName"));
  if (j.status !== "InProgress") {
    throw validation(`The request was rejected because the training job is in status ${j.status}.`);
  }
  j.status = "Stopped";
  j.trainingEndTime = ctx.now;
  j.lastModifiedTime = ctx.now;
  return {};
};

export const trainingOperations: Record<string, JsonHandler> = {
  ListTrainingJobs,
  DescribeTrainingJob,
  StopTrainingJob,
};
