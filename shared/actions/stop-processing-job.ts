import {
  describeProcessingJobState,
  stopProcessingJob as sendStopProcessingJob,
} from "../aws/actions-sagemaker.ts";
import { checkOrigin, clientsFor, GONE } from "./common.ts";
import type { ResourceAction } from "./types.ts";

/**
 * Stops a runaway SageMaker processing job. There is no undo: a stopped job cannot be
 * resumed; the owner can run the job again (outputs already uploaded stay in S3). From
 * `InProgress` only; `Stopping`, `Stopped`, `Completed`, `Failed` or gone is success.
 *
 * ```yaml
 * - name: runaway-processing-jobs
 *   type: runaway-training-job
 *   mode: enforce
 *   params: { maxRuntimeHours: 24, jobKinds: [processing] }
 *   gracePeriod: 4h
 *   timeoutAction: stop
 * ```
 */
export const stopProcessingJob: ResourceAction = {
  resourceType: "sagemaker:processing-job",
  kind: "stop",
  permissions: ["sagemaker:DescribeProcessingJob", "sagemaker:StopProcessingJob"],
  validOriginStates: ["InProgress"],
  doneStates: ["Stopping", "Stopped", "Completed", "Failed"],
  async run(clients, finding) {
    const { sagemaker } = clientsFor(clients, finding.resource.region);
    const name = finding.resource.id;
    const found = await describeProcessingJobState(sagemaker, name);
    if (!found)
      return { result: "already", fromState: GONE, detail: `processing job ${name} no longer exists` };
    if (checkOrigin(stopProcessingJob, `processing job ${name}`, found.status) === "done") {
      return {
        result: "already",
        fromState: found.status,
        detail: `processing job ${name} is already ${found.status}`,
      };
    }
    await sendStopProcessingJob(sagemaker, name);
    return {
      result: "done",
      fromState: found.status,
      detail: `stopped processing job ${name}; a stopped job cannot be resumed (no undo): the owner can run it again`,
    };
  },
};
