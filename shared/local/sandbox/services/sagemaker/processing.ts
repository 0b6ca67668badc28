import { sagemakerArn } from "../../arn.ts";
import { SandboxError } from "../../errors.ts";
import { reqString } from "../../protocol/input.ts";
import type { JsonHandler, SandboxContext } from "../../service.ts";
import type { SbProcessingJob } from "../../types.ts";
import { byCreation, byName, listPage, validation } from "./common.ts";

/**
 * Processing jobs: listed by status (MaxResults ≤ 100, default 10), described one at a time
 * (no tags in the answer: those come from ListTags), stopped only from InProgress.
 */
function findJob(ctx: SandboxContext, name: string): SbProcessingJob {
  const j = ctx.scenario.sagemaker.processingJobs.find((x) => x.name === name);
  // Like the training calls, processing calls model a not-found error.
  if (!j) throw new SandboxError("ResourceNotFound", `Processing job ${name} does not exist.`);
  return j;
}

const arnOf = (ctx: SandboxContext, j: SbProcessingJob) =>
  sagemakerArn(ctx.scenario, "processing-job", j.name);
const date = (t: number | undefined) => (t === undefined ? undefined : new Date(t));

const ListProcessingJobs: JsonHandler = (input, ctx) => {
  const { page, nextToken } = listPage(input, "ListProcessingJobs", ctx.scenario.sagemaker.processingJobs, {
    status: (j) => j.status,
    sortKeys: { Name: byName, CreationTime: byCreation, Status: (j) => j.status },
    defaultSortBy: "CreationTime",
    defaultOrder: "Descending",
  });
  return {
    ProcessingJobSummaries: page.map((j) => ({
      ProcessingJobName: j.name,
      ProcessingJobArn: arnOf(ctx, j),
      CreationTime: new Date(j.creationTime),
      ProcessingEndTime: date(j.processingEndTime),
      LastModifiedTime: new Date(j.lastModifiedTime),
      ProcessingJobStatus: j.status,
    })),
    NextToken: nextToken,
  };
};

const DescribeProcessingJob: JsonHandler = (input, ctx) => {
  const j = findJob(ctx, reqString(input, "ProcessingJobName"));
  return {
    ProcessingJobName: j.name,
    ProcessingJobArn: arnOf(ctx, j),
    ProcessingJobStatus: j.status,
    ProcessingResources: {
      ClusterConfig: {
        InstanceCount: j.instanceCount,
        InstanceType: j.instanceType,
        VolumeSizeInGB: j.volumeSizeInGB,
      },
    },
    StoppingCondition:
      j.maxRuntimeInSeconds === undefined ? undefined : { MaxRuntimeInSeconds: j.maxRuntimeInSeconds },
    AppSpecification: {
      ImageUri: `683313688378.dkr.ecr.${ctx.scenario.region}.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3`,
    },
    RoleArn: j.roleArn,
    CreationTime: new Date(j.creationTime),
    ProcessingStartTime: date(j.processingStartTime),
    ProcessingEndTime: date(j.processingEndTime),
    LastModifiedTime: new Date(j.lastModifiedTime),
  };
};

/** AWS passes through "Stopping"; the sandbox lands on "Stopped" at once. */
const StopProcessingJob: JsonHandler = (input, ctx) => {
  const j = findJob(ctx, reqString(input, "ProcessingJobName"));
  if (j.status !== "InProgress") {
    throw validation(`The request was rejected because the processing job is in status ${j.status}.`);
  }
  j.status = "Stopped";
  j.processingEndTime = ctx.now;
  j.lastModifiedTime = ctx.now;
  return {};
};

export const processingOperations: Record<string, JsonHandler> = {
  ListProcessingJobs,
  DescribeProcessingJob,
  StopProcessingJob,
};
