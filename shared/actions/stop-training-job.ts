import {
  describeTrainingJobState,
  stopTrainingJob as sendStopTrainingJob,
} from "../aws/actions-sagemaker.ts";
import { checkOrigin, clientsFor, GONE } from "./common.ts";
import type { ResourceAction } from "./types.ts";

/**
 * Stops a runaway SageMaker training job. There is no undo: a stopped job cannot be resumed.
 * SageMaker saves the model artifacts written so far, and a job with a checkpoint
 * configuration leaves its checkpoints, from which the owner can start a new job (the detail
 * says where). From `InProgress` only; `Stopping`, `Stopped`, `Completed`, `Failed` or gone
 * is success.
 *
 * ```yaml
 * - name: runaway-training-jobs
 *   type: runaway-training-job
 *   mode: enforce
 *   params: { maxRuntimeHours: 24, jobKinds: [training] }
 *   gracePeriod: 4h
 *   timeoutAction: stop
 * ```
 */
export const stopTrainingJob: ResourceAction = {
  resourceType: "sagemaker:training-job",
  kind: "stop",
  permissions: ["sagemaker:DescribeTrainingJob", "sagemaker:StopTrainingJob"],
  validOriginStates: ["InProgress"],
  doneStates: ["Stopping", "Stopped", "Completed", "Failed"],
  async run(clients, finding) {
    const { sagemaker } = clientsFor(clients, finding.resource.region);
    const name = finding.resource.id;
    const found = await describeTrainingJobState(sagemaker, name);
    if (!found)
      return { result: "already", fromState: GONE, detail: `training job ${name} no longer exists` };
    if (checkOrigin(stopTrainingJob, `training job ${name}`, found.status) === "done") {
      return {
        result: "already",
        fromState: found.status,
        detail: `training job ${name} is already ${found.status}`,
      };
    }
    await sendStopTrainingJob(sagemaker, name);
    const restart = found.checkpointS3Uri
      ? `its checkpoints in ${found.checkpointS3Uri} let the owner start a new job from where it stopped`
      : "it saved no checkpoints, so a new job would start from scratch";
    return {
      result: "done",
      fromState: found.status,
      detail: `stopped training job ${name}; a stopped job cannot be resumed (no undo): ${restart}`,
    };
  },
};
