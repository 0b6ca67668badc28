import {
  describeEndpointState,
  deleteEndpoint as sendDeleteEndpoint,
  snapshotEndpoint,
} from "../aws/actions-endpoint.ts";
import { checkOrigin, clientsFor, GONE, undoFor } from "./common.ts";
import type { ResourceAction } from "./types.ts";

/**
 * Deletes a SageMaker endpoint (endpoints cannot be stopped). Before the delete, the undo
 * record is saved: endpoint name, endpoint config name and full description (variants, async
 * inference, data capture), each model's description, and the endpoint's tags (which AWS drops
 * with the endpoint). The endpoint config and models are kept; `restore-endpoint` recreates
 * the endpoint from them, or from the saved descriptions if someone deleted them since.
 * From `InService`, `OutOfService` or `Failed`; `Deleting` or gone is success; `Creating`,
 * `Updating`, `SystemUpdating`, `RollingBack`… fail with InvalidStateError (someone is
 * changing it right now) and change nothing.
 *
 * ```yaml
 * - name: idle-endpoints
 *   type: idle-endpoint
 *   mode: enforce
 *   gracePeriod: 3d
 *   timeoutAction: delete   # explicit: a delete is never the default
 * ```
 */
export const deleteEndpoint: ResourceAction = {
  resourceType: "sagemaker:endpoint",
  kind: "delete",
  permissions: [
    "sagemaker:DescribeEndpoint",
    "sagemaker:DescribeEndpointConfig",
    "sagemaker:DescribeModel",
    "sagemaker:ListTags",
    "sagemaker:DeleteEndpoint",
  ],
  validOriginStates: ["InService", "OutOfService", "Failed"],
  doneStates: ["Deleting"],
  async run(clients, finding, saveUndo) {
    const { sagemaker } = clientsFor(clients, finding.resource.region);
    const name = finding.resource.id;
    const found = await describeEndpointState(sagemaker, name);
    if (!found) return { result: "already", fromState: GONE, detail: `endpoint ${name} no longer exists` };
    if (checkOrigin(deleteEndpoint, `endpoint ${name}`, found.status) === "done") {
      return {
        result: "already",
        fromState: found.status,
        detail: `endpoint ${name} is already being deleted`,
      };
    }
    const snapshot = await snapshotEndpoint(sagemaker, found, finding.resource.region);
    const undo = undoFor(finding, "delete", { ...snapshot });
    // Saved before the delete: a crash between the two still leaves a way back.
    await saveUndo(undo);
    await sendDeleteEndpoint(sagemaker, name);
    const variants = snapshot.endpointConfig.ProductionVariants?.length ?? 0;
    return {
      result: "done",
      fromState: found.status,
      detail:
        `deleted endpoint ${name}; kept endpoint config ${snapshot.endpointConfigName} ` +
        `(${variants} variant${variants === 1 ? "" : "s"}) and model${snapshot.modelNames.length === 1 ? "" : "s"} ` +
        `${snapshot.modelNames.join(", ")}; saved ${Object.keys(snapshot.tags).length} tags for a restore`,
      undo,
    };
  },
};
