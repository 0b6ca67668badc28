import { SandboxError } from "../../errors.ts";
import { pageOf } from "../../pagination.ts";
import { ec2Filters, indexedList } from "../../protocol/query.ts";
import type { QueryHandler } from "../../service.ts";
import type { SbEc2Instance } from "../../types.ts";
import { invalidCombination, matchFilters, maxResults, tagSet } from "./common.ts";

const STATE_CODES: Record<SbEc2Instance["state"], number> = {
  pending: 0,
  running: 16,
  "shutting-down": 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

export const state = (name: SbEc2Instance["state"]) => ({ code: STATE_CODES[name], name });

export function notFound(ids: string[]): SandboxError {
  const list = ids.join(", ");
  return new SandboxError(
    "InvalidInstanceID.NotFound",
    ids.length === 1 ? `The instance ID '${list}' does not exist` : `The instance IDs '${list}' do not exist`,
  );
}

const FIELDS: Record<string, (i: SbEc2Instance) => string | undefined> = {
  "instance-state-name": (i) => i.state,
  "instance-state-code": (i) => String(STATE_CODES[i.state]),
  "instance-type": (i) => i.instanceType,
  "instance-id": (i) => i.instanceId,
};

export const DescribeInstances: QueryHandler = (params, ctx) => {
  const ids = indexedList(params, "InstanceId");
  const max = maxResults(params, 5, 1000);
  if (ids.length > 0 && max !== undefined) {
    throw invalidCombination("The parameter instancesSet cannot be used with the parameter maxResults");
  }
  const all = ctx.scenario.ec2.instances;
  const missing = ids.filter((id) => !all.some((i) => i.instanceId === id));
  if (missing.length > 0) throw notFound(missing);
  const filters = ec2Filters(params);
  const matches = all
    .filter((i) => ids.length === 0 || ids.includes(i.instanceId))
    .filter((i) => matchFilters(i, filters, FIELDS, (x) => x.tags));
  const token = params.get("NextToken") ?? undefined;
  const { items, nextToken } = pageOf(
    matches,
    "DescribeInstances",
    max ?? 1000,
    token,
    "InvalidPaginationToken",
  );
  return {
    // One reservation per instance: what a run-instances call per instance gives.
    reservationSet: items.map((i) => ({
      reservationId: `r-${i.instanceId.slice(2)}`,
      ownerId: ctx.scenario.accountId,
      groupSet: [],
      instancesSet: [
        {
          instanceId: i.instanceId,
          imageId: "ami-0abcdef1234567890",
          instanceState: state(i.state),
          privateDnsName: `ip-10-0-0-${(parseInt(i.instanceId.slice(-2), 16) % 250) + 1}.ec2.internal`,
          instanceType: i.instanceType,
          launchTime: new Date(i.launchTime),
          placement: { availabilityZone: `${ctx.scenario.region}a`, tenancy: "default" },
          monitoring: { state: "disabled" },
          tagSet: tagSet(i.tags),
        },
      ],
    })),
    nextToken,
  };
};

/** AWS answers "stopping" and gets there later; the sandbox records "stopped" at once. */
export const StopInstances: QueryHandler = (params, ctx) => {
  const ids = indexedList(params, "InstanceId");
  if (ids.length === 0)
    throw new SandboxError("MissingParameter", "The request must contain the parameter instanceId");
  const all = ctx.scenario.ec2.instances;
  const missing = ids.filter((id) => !all.some((i) => i.instanceId === id));
  if (missing.length > 0) throw notFound(missing);
  const found = ids.map((id) => all.find((i) => i.instanceId === id)!);
  const stuck = found.find((i) => i.state === "terminated" || i.state === "shutting-down");
  if (stuck) {
    throw new SandboxError(
      "IncorrectInstanceState",
      `This instance '${stuck.instanceId}' is not in a state from which it can be stopped.`,
    );
  }
  return {
    instancesSet: found.map((i) => {
      const previous = i.state;
      const current = previous === "stopped" ? "stopped" : "stopping";
      i.state = "stopped";
      return { instanceId: i.instanceId, currentState: state(current), previousState: state(previous) };
    }),
  };
};
