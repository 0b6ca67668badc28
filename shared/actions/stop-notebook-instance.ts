import { describeNotebookState, stopNotebook } from "../aws/actions-sagemaker.ts";
import { checkOrigin, clientsFor, GONE, undoFor } from "./common.ts";
import type { ResourceAction } from "./types.ts";

/**
 * Stops a SageMaker notebook instance. Its ML storage volume (the user's files) and settings
 * survive, and a start brings it back as it was: the undo record is just the name.
 * From `InService` only; `Stopped`/`Stopping` or gone is success; `Pending`, `Updating`,
 * `Failed`, `Deleting` fail with InvalidStateError and change nothing.
 *
 * ```yaml
 * - name: idle-notebooks
 *   type: idle-notebook
 *   mode: enforce
 *   gracePeriod: 1d
 *   timeoutAction: stop
 * ```
 */
export const stopNotebookInstance: ResourceAction = {
  resourceType: "sagemaker:notebook-instance",
  kind: "stop",
  permissions: ["sagemaker:DescribeNotebookInstance", "sagemaker:StopNotebookInstance"],
  validOriginStates: ["InService"],
  doneStates: ["Stopped", "Stopping"],
  async run(clients, finding, saveUndo) {
    const { sagemaker } = clientsFor(clients, finding.resource.region);
    const name = finding.resource.id;
    const found = await describeNotebookState(sagemaker, name);
    if (!found) {
      return { result: "already", fromState: GONE, detail: `notebook instance ${name} no longer exists` };
    }
    if (checkOrigin(stopNotebookInstance, `notebook instance ${name}`, found.status) === "done") {
      return {
        result: "already",
        fromState: found.status,
        detail: `notebook instance ${name} is already ${found.status}`,
      };
    }
    const undo = undoFor(finding, "stop", { notebookInstanceName: name });
    await saveUndo(undo);
    await stopNotebook(sagemaker, name);
    return {
      result: "done",
      fromState: found.status,
      detail: `stopped notebook instance ${name}${found.instanceType ? ` (${found.instanceType})` : ""}; its storage is kept and a start restores it`,
      undo,
    };
  },
};
