import { describeNotebookState, startNotebook } from "../aws/actions-sagemaker.ts";
import { InvalidStateError } from "../errors.ts";
import { checkOrigin, clientsFor, GONE, undoRegion, undoString } from "./common.ts";
import type { RestoreAction } from "./types.ts";

/** Starts from `Stopped`; `InService`/`Pending` is restored already; anything else (or gone) throws. */
const contract = { validOriginStates: ["Stopped"], doneStates: ["InService", "Pending"] };

/**
 * Undoes `stop-notebook-instance`: StartNotebookInstance. The instance comes back with its
 * storage volume as it was stopped (AWS takes a few minutes to reach `InService`).
 */
export const restoreNotebookInstance: RestoreAction = {
  resourceType: "sagemaker:notebook-instance",
  permissions: ["sagemaker:DescribeNotebookInstance", "sagemaker:StartNotebookInstance"],
  async run(clients, undo) {
    const name = undoString(undo.data, "notebookInstanceName", undo.resourceArn);
    const { sagemaker } = clientsFor(clients, undoRegion(undo));
    const found = await describeNotebookState(sagemaker, name);
    if (!found) throw new InvalidStateError(`notebook instance ${name}`, GONE, contract.validOriginStates);
    if (checkOrigin(contract, `notebook instance ${name}`, found.status) === "done") {
      return { detail: `notebook instance ${name} is already ${found.status}` };
    }
    await startNotebook(sagemaker, name);
    return { detail: `started notebook instance ${name}` };
  },
};
