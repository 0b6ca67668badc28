/**
 * The `trainingJobs` inventory: every training and processing job in progress. Training jobs:
 * one `Search` page per 100 jobs. Processing jobs: ListProcessingJobs (100 per page), then one
 * DescribeProcessingJob and one ListTags per job in progress, with bounded concurrency — no bulk
 * call returns their configs, and the tagging API would page through every processing job ever
 * tagged, finished or not.
 */
import type { SageMakerClient } from "@aws-sdk/client-sagemaker";
import pLimit from "p-limit";
import type { TrainingJobInfo } from "../detectors/inventory.ts";
import {
  describeProcessingJob,
  type JobSummary,
  listProcessingJobNames,
  listSageMakerTags,
  searchTrainingJobs,
} from "./training.ts";

/** Studio tags every job it launches with the user profile that launched it. */
const USER_PROFILE_TAG = "sagemaker:user-profile-arn";

function createdBy(tags: Record<string, string>): string | undefined {
  const arn = tags[USER_PROFILE_TAG];
  if (!arn) return undefined;
  return `Studio user profile ${arn.split("/").pop()}`;
}

function toInfo(job: JobSummary, kind: TrainingJobInfo["kind"], region: string): TrainingJobInfo {
  const first = job.instanceGroups[0] ?? { instanceType: "unknown", instanceCount: 0 };
  const by = createdBy(job.tags);
  return {
    name: job.name,
    arn: job.arn,
    region,
    kind,
    status: job.status,
    creationTime: job.creationTime,
    ...(job.startTime ? { startTime: job.startTime } : {}),
    instanceType: first.instanceType,
    instanceCount: first.instanceCount,
    ...(job.instanceGroups.length > 1 ? { instanceGroups: job.instanceGroups } : {}),
    ...(job.maxRuntimeInSeconds !== undefined ? { maxRuntimeInSeconds: job.maxRuntimeInSeconds } : {}),
    managedSpot: job.managedSpot,
    ...(job.checkpointS3Uri ? { checkpointS3Uri: job.checkpointS3Uri } : {}),
    ...(by ? { createdBy: by } : {}),
    ...(job.tuningJobArn ? { tuningJobArn: job.tuningJobArn } : {}),
    tags: job.tags,
  };
}

export async function loadTrainingJobs(
  client: SageMakerClient,
  region: string,
  options: { concurrency?: number } = {},
): Promise<TrainingJobInfo[]> {
  const limit = pLimit(options.concurrency ?? 8);
  const [training, processingNames] = await Promise.all([
    searchTrainingJobs(client, "InProgress"),
    listProcessingJobNames(client, "InProgress"),
  ]);
  const processing = await Promise.all(
    processingNames.map((name) =>
      limit(async (): Promise<JobSummary | undefined> => {
        try {
          const job = await describeProcessingJob(client, name);
          const tags = job.arn ? await listSageMakerTags(client, job.arn) : {};
          return { ...job, tags };
        } catch (err) {
          // Listed a moment ago, gone now: nothing left to judge.
          if ((err as Error).name === "ResourceNotFound") return undefined;
          throw err;
        }
      }),
    ),
  );
  return [
    ...training.map((j) => toInfo(j, "training", region)),
    ...processing.filter((j): j is JobSummary => j !== undefined).map((j) => toInfo(j, "processing", region)),
  ];
}
