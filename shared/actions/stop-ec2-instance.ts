import { describeInstanceState, stopInstance } from "../aws/actions-ec2.ts";
import { checkOrigin, clientsFor, GONE, undoFor } from "./common.ts";
import type { ResourceAction } from "./types.ts";

/**
 * Stops an EC2 instance (an idle GPU box). EBS volumes are kept, so a start brings it back;
 * instance-store data is lost, as with any stop. From `running` only; `stopped`/`stopping` is
 * success, and so are `shutting-down`/`terminated` or gone (nothing left to bill); `pending`
 * fails with InvalidStateError (someone is starting it right now) and changes nothing.
 *
 * ```yaml
 * - name: idle-gpu-instances
 *   type: idle-gpu-instance
 *   mode: enforce
 *   gracePeriod: 2d
 *   timeoutAction: stop
 * ```
 */
export const stopEc2Instance: ResourceAction = {
  resourceType: "ec2:instance",
  kind: "stop",
  permissions: ["ec2:DescribeInstances", "ec2:StopInstances"],
  validOriginStates: ["running"],
  doneStates: ["stopped", "stopping", "shutting-down", "terminated"],
  async run(clients, finding, saveUndo) {
    const { ec2 } = clientsFor(clients, finding.resource.region);
    const id = finding.resource.id;
    const found = await describeInstanceState(ec2, id);
    if (!found) return { result: "already", fromState: GONE, detail: `instance ${id} no longer exists` };
    if (checkOrigin(stopEc2Instance, `instance ${id}`, found.state) === "done") {
      return {
        result: "already",
        fromState: found.state,
        detail: `instance ${id} is already ${found.state}`,
      };
    }
    const undo = undoFor(finding, "stop", { instanceId: id });
    await saveUndo(undo);
    await stopInstance(ec2, id);
    return {
      result: "done",
      fromState: found.state,
      detail: `stopped instance ${id}${found.instanceType ? ` (${found.instanceType})` : ""}; its EBS volumes are kept and a start restores it`,
      undo,
    };
  },
};
