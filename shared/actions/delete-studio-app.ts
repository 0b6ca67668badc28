import { deleteApp, describeAppState } from "../aws/actions-studio.ts";
import { listAllTags } from "../aws/sagemaker-tags.ts";
import { checkOrigin, clientsFor, GONE, undoFor } from "./common.ts";
import { appKeyOf, appLabel } from "./studio-app-key.ts";
import type { ResourceAction } from "./types.ts";

/**
 * Deletes a SageMaker Studio app (JupyterLab, CodeEditor, KernelGateway…): that stops its
 * instance's billing. The user's files live in the space's (or profile's) storage and
 * survive; `restore-studio-app` runs CreateApp with the same ResourceSpec (instance type,
 * image, lifecycle config) and tags, all saved in the undo record before the delete. Which
 * app it is comes from the finding (see studio-app-key.ts for how the profile/space is told).
 * From `InService` only; `Deleted`/`Deleting` or gone is success; `Pending` and `Failed` fail
 * with InvalidStateError and change nothing.
 *
 * ```yaml
 * - name: idle-studio-apps
 *   type: idle-studio-app
 *   mode: enforce
 *   gracePeriod: 1d
 *   timeoutAction: delete
 * ```
 */
export const deleteStudioApp: ResourceAction = {
  resourceType: "sagemaker:app",
  kind: "delete",
  permissions: ["sagemaker:DescribeApp", "sagemaker:ListTags", "sagemaker:DeleteApp"],
  validOriginStates: ["InService"],
  doneStates: ["Deleted", "Deleting"],
  async run(clients, finding, saveUndo) {
    const { sagemaker } = clientsFor(clients, finding.resource.region);
    const key = appKeyOf(finding);
    const label = appLabel(key);
    const found = await describeAppState(sagemaker, key);
    if (!found) return { result: "already", fromState: GONE, detail: `${label} no longer exists` };
    if (checkOrigin(deleteStudioApp, label, found.status) === "done") {
      return { result: "already", fromState: found.status, detail: `${label} is already ${found.status}` };
    }
    const instanceType = found.resourceSpec?.InstanceType;
    const undo = undoFor(finding, "delete", {
      ...key,
      ...(instanceType ? { instanceType } : {}),
      ...(found.resourceSpec ? { resourceSpec: { ...found.resourceSpec } } : {}),
      tags: await listAllTags(sagemaker, found.arn ?? finding.resource.arn),
    });
    await saveUndo(undo);
    await deleteApp(sagemaker, key);
    return {
      result: "done",
      fromState: found.status,
      detail: `deleted ${label}${instanceType ? ` (${instanceType})` : ""}; the files in its storage are kept and a restore re-creates the app`,
      undo,
    };
  },
};
