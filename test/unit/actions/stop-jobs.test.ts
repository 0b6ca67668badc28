import {
  DescribeProcessingJobCommand,
  DescribeTrainingJobCommand,
  SageMakerClient,
  StopProcessingJobCommand,
  StopTrainingJobCommand,
} from "@aws-sdk/client-sagemaker";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { stopProcessingJob } from "../../../shared/actions/stop-processing-job.ts";
import { stopTrainingJob } from "../../../shared/actions/stop-training-job.ts";
import { awsError, findingFor, newClients, undoRecorder } from "./helpers.ts";

const sm = mockClient(SageMakerClient);
const training = findingFor(
  "sagemaker:training-job",
  "llm-finetune-overnight",
  "arn:aws:sagemaker:us-east-1:123456789012:training-job/llm-finetune-overnight",
);
const processing = findingFor(
  "sagemaker:processing-job",
  "feature-backfill",
  "arn:aws:sagemaker:us-east-1:123456789012:processing-job/feature-backfill",
);

beforeEach(() => {
  sm.reset();
  sm.on(StopTrainingJobCommand).resolves({});
  sm.on(StopProcessingJobCommand).resolves({});
});

describe("stop-training-job", () => {
  function jobIs(status: string, checkpoint?: string) {
    sm.on(DescribeTrainingJobCommand, { TrainingJobName: "llm-finetune-overnight" }).resolves({
      TrainingJobName: "llm-finetune-overnight",
      TrainingJobStatus: status as "InProgress",
      ...(checkpoint ? { CheckpointConfig: { S3Uri: checkpoint } } : {}),
    });
  }

  it("stops an InProgress job; no undo, and the detail says where the checkpoints are", async () => {
    jobIs("InProgress", "s3://ml-experiments/checkpoints/llm-finetune-overnight/");
    const { saved, saveUndo } = undoRecorder();

    const outcome = await stopTrainingJob.run(newClients(), training, saveUndo);

    expect(sm).toHaveReceivedCommandTimes(StopTrainingJobCommand, 1);
    expect(sm.commandCalls(StopTrainingJobCommand)[0]!.args[0].input).toEqual({
      TrainingJobName: "llm-finetune-overnight",
    });
    expect(saved).toEqual([]);
    expect(outcome.undo).toBeUndefined();
    expect(outcome).toMatchObject({ result: "done", fromState: "InProgress" });
    expect(outcome.detail).toContain("cannot be resumed");
    expect(outcome.detail).toContain("s3://ml-experiments/checkpoints/llm-finetune-overnight/");
  });

  it("says so when the job saved no checkpoints", async () => {
    jobIs("InProgress");
    const outcome = await stopTrainingJob.run(newClients(), training, undoRecorder().saveUndo);
    expect(outcome.detail).toContain("no checkpoints");
  });

  it.each(["Stopping", "Stopped", "Completed", "Failed"])("is already done when %s", async (status) => {
    jobIs(status);
    const outcome = await stopTrainingJob.run(newClients(), training, undoRecorder().saveUndo);
    expect(outcome).toMatchObject({ result: "already", fromState: status });
    expect(sm).not.toHaveReceivedCommand(StopTrainingJobCommand);
  });

  it.each([
    ["ValidationException", "Requested resource not found."],
    ["ResourceNotFound", "Requested resource not found."],
  ])("treats %s as already gone", async (name, message) => {
    sm.on(DescribeTrainingJobCommand).rejects(awsError(name, message));
    const outcome = await stopTrainingJob.run(newClients(), training, undoRecorder().saveUndo);
    expect(outcome).toMatchObject({ result: "already", fromState: "gone" });
    expect(sm).not.toHaveReceivedCommand(StopTrainingJobCommand);
  });
});

describe("stop-processing-job", () => {
  function jobIs(status: string) {
    sm.on(DescribeProcessingJobCommand, { ProcessingJobName: "feature-backfill" }).resolves({
      ProcessingJobName: "feature-backfill",
      ProcessingJobStatus: status as "InProgress",
    });
  }

  it("stops an InProgress job, with no undo", async () => {
    jobIs("InProgress");
    const { saved, saveUndo } = undoRecorder();

    const outcome = await stopProcessingJob.run(newClients(), processing, saveUndo);

    expect(sm).toHaveReceivedCommandTimes(StopProcessingJobCommand, 1);
    expect(sm.commandCalls(StopProcessingJobCommand)[0]!.args[0].input).toEqual({
      ProcessingJobName: "feature-backfill",
    });
    expect(saved).toEqual([]);
    expect(outcome).toMatchObject({ result: "done", fromState: "InProgress" });
    expect(outcome.detail).toContain("cannot be resumed");
  });

  it.each(["Stopping", "Stopped", "Completed", "Failed"])("is already done when %s", async (status) => {
    jobIs(status);
    const outcome = await stopProcessingJob.run(newClients(), processing, undoRecorder().saveUndo);
    expect(outcome).toMatchObject({ result: "already", fromState: status });
    expect(sm).not.toHaveReceivedCommand(StopProcessingJobCommand);
  });

  it("treats a missing job as already gone", async () => {
    sm.on(DescribeProcessingJobCommand).rejects(
      awsError("ValidationException", "Could not find requested job"),
    );
    const outcome = await stopProcessingJob.run(newClients(), processing, undoRecorder().saveUndo);
    expect(outcome).toMatchObject({ result: "already", fromState: "gone" });
    expect(sm).not.toHaveReceivedCommand(StopProcessingJobCommand);
  });
});
