import { SandboxError } from "../../errors.ts";
import { indexedList } from "../../protocol/query.ts";
import type { QueryHandler } from "../../service.ts";
import type { SbEc2Instance } from "../../types.ts";
import { notFound, state } from "./instances.ts";

/** States StartInstances accepts (a running or pending instance is answered as it is). */
const STARTABLE: ReadonlySet<SbEc2Instance["state"]> = new Set(["stopped", "running", "pending"]);

/** AWS answers "pending" and gets to "running" later; the sandbox records "running" at once. */
export const StartInstances: QueryHandler = (params, ctx) => {
  const ids = indexedList(params, "InstanceId");
  if (ids.length === 0)
    throw new SandboxError("MissingParameter", "The request must contain the parameter instanceId");
  const all = ctx.scenario.ec2.instances;
  const missing = ids.filter((id) => !all.some((i) => i.instanceId === id));
  if (missing.length > 0) throw notFound(missing);
  const found = ids.map((id) => all.find((i) => i.instanceId === id)!);
  const stuck = found.find((i) => !STARTABLE.has(i.state));
  if (stuck) {
    throw new SandboxError(
      "IncorrectInstanceState",
      `The instance '${stuck.instanceId}' is not in a state from which it can be started.`,
    );
  }
  return {
    instancesSet: found.map((i) => {
      const previous = i.state;
      const current = previous === "stopped" ? "pending" : previous;
      i.state = previous === "stopped" ? "running" : previous;
      return { instanceId: i.instanceId, currentState: state(current), previousState: state(previous) };
    }),
  };
};
