import { describeInstanceState, startInstance } from "../aws/actions-ec2.ts";
import { InvalidStateError } from "../errors.ts";
import { checkOrigin, clientsFor, GONE, undoRegion, undoString } from "./common.ts";
import type { RestoreAction } from "./types.ts";

/** Starts from `stopped`; `running`/`pending` is restored already; `stopping`, terminated or gone throws. */
const contract = { validOriginStates: ["stopped"], doneStates: ["running", "pending"] };

/** Undoes `stop-ec2-instance`: StartInstances (same instance, same EBS volumes). */
export const restoreEc2Instance: RestoreAction = {
  resourceType: "ec2:instance",
  permissions: ["ec2:DescribeInstances", "ec2:StartInstances"],
  async run(clients, undo) {
    const id = undoString(undo.data, "instanceId", undo.resourceArn);
    const { ec2 } = clientsFor(clients, undoRegion(undo));
    const found = await describeInstanceState(ec2, id);
    if (!found) throw new InvalidStateError(`instance ${id}`, GONE, contract.validOriginStates);
    if (checkOrigin(contract, `instance ${id}`, found.state) === "done") {
      return { detail: `instance ${id} is already ${found.state}` };
    }
    await startInstance(ec2, id);
    return { detail: `started instance ${id}` };
  },
};
