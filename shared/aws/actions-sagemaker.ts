/**
 * SageMaker calls the stop actions make: one describe (the fresh state) and one state change
 * per resource kind. A describe that finds nothing answers `undefined` (gone), never throws.
 */
import {
  DescribeNotebookInstanceCommand,
  DescribeProcessingJobCommand,
  DescribeTrainingJobCommand,
  type SageMakerClient,
  StartNotebookInstanceCommand,
  StopNotebookInstanceCommand,
  StopProcessingJobCommand,
  StopTrainingJobCommand,
} from "@aws-sdk/client-sagemaker";
import { isSageMakerNotFound, unlessMissing } from "./not-found.ts";

export interface NotebookState {
  status: string;
  instanceType?: string;
}

export async function describeNotebookState(
  client: SageMakerClient,
  name: string,
): Promise<NotebookState | undefined> {
  const out = await unlessMissing(
    () => client.send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: name })),
    isSageMakerNotFound,
  );
  if (!out) return undefined;
  return {
    status: out.NotebookInstanceStatus ?? "Unknown",
    ...(out.InstanceType ? { instanceType: out.InstanceType } : {}),
  };
}

export async function stopNotebook(client: SageMakerClient, name: string): Promise<void> {
  await client.send(new StopNotebookInstanceCommand({ NotebookInstanceName: name }));
}

export async function startNotebook(client: SageMakerClient, name: string): Promise<void> {
  await client.send(new StartNotebookInstanceCommand({ NotebookInstanceName: name }));
}

export interface JobState {
  status: string;
  /** Where the job saves checkpoints, if it does: a new job can start from them. */
  checkpointS3Uri?: string;
}

export async function describeTrainingJobState(
  client: SageMakerClient,
  name: string,
): Promise<JobState | undefined> {
  const out = await unlessMissing(
    () => client.send(new DescribeTrainingJobCommand({ TrainingJobName: name })),
    isSageMakerNotFound,
  );
  if (!out) return undefined;
  return {
    status: out.TrainingJobStatus ?? "Unknown",
    ...(out.CheckpointConfig?.S3Uri ? { checkpointS3Uri: out.CheckpointConfig.S3Uri } : {}),
  };
}

export async function stopTrainingJob(client: SageMakerClient, name: string): Promise<void> {
  await client.send(new StopTrainingJobCommand({ TrainingJobName: name }));
}

export async function describeProcessingJobState(
  client: SageMakerClient,
  name: string,
): Promise<JobState | undefined> {
  const out = await unlessMissing(
    () => client.send(new DescribeProcessingJobCommand({ ProcessingJobName: name })),
    isSageMakerNotFound,
  );
  if (!out) return undefined;
  return { status: out.ProcessingJobStatus ?? "Unknown" };
}

export async function stopProcessingJob(client: SageMakerClient, name: string): Promise<void> {
  await client.send(new StopProcessingJobCommand({ ProcessingJobName: name }));
}
