/**
 * SageMaker job reads. Training jobs come from `Search` (filtered on status, 100 per page, with
 * their resource config, stopping condition and tags: no per-job Describe). Processing jobs are
 * not a `Search` resource type, so they are listed by status and described one by one.
 */
import {
  DescribeProcessingJobCommand,
  type ProcessingJobStatus,
  paginateListProcessingJobs,
  paginateListTags,
  paginateSearch,
  type ResourceConfig,
  type SageMakerClient,
  type TrainingJob,
} from "@aws-sdk/client-sagemaker";
import { tagsToRecord } from "./sagemaker.ts";

export interface JobSummary {
  name: string;
  arn: string;
  status: string;
  creationTime: Date;
  startTime?: Date;
  instanceGroups: Array<{ instanceType: string; instanceCount: number }>;
  maxRuntimeInSeconds?: number;
  managedSpot: boolean;
  checkpointS3Uri?: string;
  tuningJobArn?: string;
  tags: Record<string, string>;
}

function trainingGroups(rc: ResourceConfig | undefined): JobSummary["instanceGroups"] {
  if (rc?.InstanceGroups && rc.InstanceGroups.length > 0) {
    return rc.InstanceGroups.map((g) => ({
      instanceType: g.InstanceType ?? "unknown",
      instanceCount: g.InstanceCount ?? 0,
    }));
  }
  return [
    {
      instanceType: rc?.SelectedInstanceType ?? rc?.InstanceType ?? "unknown",
      instanceCount: rc?.SelectedInstanceCount ?? rc?.InstanceCount ?? 0,
    },
  ];
}

function trainingSummary(j: TrainingJob): JobSummary | undefined {
  if (!j.TrainingJobName || !j.TrainingJobArn) return undefined;
  return {
    name: j.TrainingJobName,
    arn: j.TrainingJobArn,
    status: j.TrainingJobStatus ?? "Unknown",
    creationTime: j.CreationTime ?? new Date(0),
    ...(j.TrainingStartTime ? { startTime: j.TrainingStartTime } : {}),
    instanceGroups: trainingGroups(j.ResourceConfig),
    ...(j.StoppingCondition?.MaxRuntimeInSeconds !== undefined
      ? { maxRuntimeInSeconds: j.StoppingCondition.MaxRuntimeInSeconds }
      : {}),
    managedSpot: j.EnableManagedSpotTraining ?? false,
    ...(j.CheckpointConfig?.S3Uri ? { checkpointS3Uri: j.CheckpointConfig.S3Uri } : {}),
    ...(j.TuningJobArn ? { tuningJobArn: j.TuningJobArn } : {}),
    tags: tagsToRecord(j.Tags),
  };
}

/** Training jobs in one status, complete with config and tags, 100 per call. */
export async function searchTrainingJobs(client: SageMakerClient, status: string): Promise<JobSummary[]> {
  const out: JobSummary[] = [];
  for await (const page of paginateSearch(
    { client, pageSize: 100 },
    {
      Resource: "TrainingJob",
      MaxResults: 100,
      SearchExpression: { Filters: [{ Name: "TrainingJobStatus", Operator: "Equals", Value: status }] },
    },
  )) {
    for (const r of page.Results ?? []) {
      const summary = r.TrainingJob ? trainingSummary(r.TrainingJob) : undefined;
      if (summary) out.push(summary);
    }
  }
  return out;
}

/** Names of the processing jobs in one status, 100 per call. */
export async function listProcessingJobNames(
  client: SageMakerClient,
  status: ProcessingJobStatus,
): Promise<string[]> {
  const out: string[] = [];
  for await (const page of paginateListProcessingJobs(
    { client, pageSize: 100 },
    { StatusEquals: status, MaxResults: 100 },
  )) {
    for (const s of page.ProcessingJobSummaries ?? []) if (s.ProcessingJobName) out.push(s.ProcessingJobName);
  }
  return out;
}

/** One processing job without its tags (DescribeProcessingJob returns none). */
export async function describeProcessingJob(
  client: SageMakerClient,
  name: string,
): Promise<Omit<JobSummary, "tags">> {
  const j = await client.send(new DescribeProcessingJobCommand({ ProcessingJobName: name }));
  const cluster = j.ProcessingResources?.ClusterConfig;
  return {
    name: j.ProcessingJobName ?? name,
    arn: j.ProcessingJobArn ?? "",
    status: j.ProcessingJobStatus ?? "Unknown",
    creationTime: j.CreationTime ?? new Date(0),
    ...(j.ProcessingStartTime ? { startTime: j.ProcessingStartTime } : {}),
    instanceGroups: [
      {
        instanceType: cluster?.SelectedInstanceType ?? cluster?.InstanceType ?? "unknown",
        instanceCount: cluster?.SelectedInstanceCount ?? cluster?.InstanceCount ?? 0,
      },
    ],
    ...(j.StoppingCondition?.MaxRuntimeInSeconds !== undefined
      ? { maxRuntimeInSeconds: j.StoppingCondition.MaxRuntimeInSeconds }
      : {}),
    managedSpot: false,
  };
}

/** A SageMaker resource's tags (ListTags pages hold at most 50). */
export async function listSageMakerTags(
  client: SageMakerClient,
  arn: string,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const page of paginateListTags({ client, pageSize: 50 }, { ResourceArn: arn, MaxResults: 50 })) {
    Object.assign(out, tagsToRecord(page.Tags));
  }
  return out;
}
