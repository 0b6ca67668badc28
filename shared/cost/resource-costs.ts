/**
 * Resource-level drill-down (GetCostAndUsageWithResources): the ARNs Cost Explorer billed for
 * an anomalous SageMaker or EC2 day, with their cost, matched to the scan's inventory for the
 * resource's kind, size and owner. Usage-type matching (drill-down.ts) guesses resources from
 * the instance type; this names the ones actually billed. Opt-in and billed per page, so only
 * when `costWatch.resourceLevel` is on.
 */
import type { CostExplorerClient } from "@aws-sdk/client-cost-explorer";
import { dailyResourceCosts } from "../aws/cost-explorer.ts";
import type { Inventory } from "../detectors/inventory.ts";
import { addDays } from "./dates.ts";
import type { DriverResource } from "./drill-down.ts";
import { parseUsageType } from "./drill-down.ts";

/** The services whose resource ids name something in the scan's inventory. */
export const RESOURCE_LEVEL_SERVICES = ["Amazon SageMaker", "Amazon Elastic Compute Cloud - Compute"];

/** Cost Explorer's key for cost it cannot pin on a resource. */
const NO_RESOURCE_ID = "NoResourceId";

export interface ResourceCost {
  resourceId: string;
  usageType: string;
  usd: number;
}

/**
 * One day of a service's cost per resource and usage type (one request, more only past a
 * page), largest first; `{ unavailable }` when the account has no resource-level data.
 */
export async function resourceCosts(
  client: CostExplorerClient,
  input: { service: string; date: string },
): Promise<{ costs: ResourceCost[]; requests: number } | { unavailable: string; requests: number }> {
  const out = await dailyResourceCosts(client, {
    start: input.date,
    end: addDays(input.date, 1),
    filter: { Dimensions: { Key: "SERVICE", Values: [input.service] } },
    groupBy: [
      { Type: "DIMENSION", Key: "RESOURCE_ID" },
      { Type: "DIMENSION", Key: "USAGE_TYPE" },
    ],
  });
  if ("unavailable" in out) return out;
  const costs = out.rows
    .filter((r) => r.date === input.date && r.keys[0] && r.keys[0] !== NO_RESOURCE_ID && r.usd > 0)
    .map((r) => ({ resourceId: r.keys[0]!, usageType: r.keys[1] ?? "", usd: r.usd }))
    .sort((a, b) => b.usd - a.usd);
  return { costs, requests: out.requests };
}

/**
 * The billed resource as a driver resource: the inventory's entry with the same ARN (or EC2
 * instance id) gives its size, tags and owner; one the scan did not see (a job that ended
 * yesterday) is still named, by the kind its ARN says. Pure. Undefined for ids of other kinds.
 */
export function billedResource(
  cost: ResourceCost,
  inventory: Partial<Inventory>,
  ownerTag: string,
): DriverResource | undefined {
  const id = cost.resourceId;
  const withOwner = (r: DriverResource): DriverResource => {
    const owner = r.tags[ownerTag];
    return owner ? { ...r, owner } : r;
  };
  const base = { arn: id, costUsd: cost.usd };
  const job = inventory.trainingJobs?.find((j) => j.arn === id);
  if (job) {
    const type = parseUsageType(cost.usageType).instanceType ?? job.instanceType;
    const group = job.instanceGroups?.find((g) => g.instanceType === type);
    return withOwner({
      kind: job.kind === "processing" ? "processing-job" : "training-job",
      name: job.name,
      instanceType: group?.instanceType ?? job.instanceType,
      instanceCount: group?.instanceCount ?? job.instanceCount,
      tags: job.tags,
      ...base,
    });
  }
  const endpoint = inventory.endpoints?.find((e) => e.arn === id);
  if (endpoint) {
    const type = parseUsageType(cost.usageType).instanceType;
    const variants = endpoint.variants.filter((v) => v.instanceType === type);
    return withOwner({
      kind: "endpoint",
      name: endpoint.name,
      instanceType: type ?? "",
      instanceCount: variants.reduce((s, v) => s + (v.instanceCount ?? 0), 0),
      tags: endpoint.tags,
      ...base,
    });
  }
  const notebook = inventory.notebooks?.find((n) => n.arn === id);
  if (notebook) {
    return withOwner({
      kind: "notebook",
      name: notebook.name,
      instanceType: notebook.instanceType,
      instanceCount: 1,
      tags: notebook.tags,
      ...base,
    });
  }
  const instance = inventory.ec2Instances?.find((i) => i.id === id || i.arn === id);
  if (instance) {
    return withOwner({
      kind: "ec2-instance",
      name: instance.id,
      instanceType: instance.instanceType,
      instanceCount: 1,
      tags: instance.tags,
      ...base,
    });
  }
  const kind = kindOfId(id);
  if (!kind) return undefined;
  return {
    kind,
    name: id.split("/").at(-1) ?? id,
    instanceType: parseUsageType(cost.usageType).instanceType ?? "",
    tags: {},
    ...base,
  };
}

/** A resource id's kind from its shape: SageMaker ARNs by resource type, EC2 by `i-`. */
export function kindOfId(id: string): DriverResource["kind"] | undefined {
  const m = /^arn:aws[a-z-]*:sagemaker:[^:]*:\d*:([a-z-]+)\//.exec(id);
  if (m) {
    const kinds: Record<string, DriverResource["kind"]> = {
      "training-job": "training-job",
      "processing-job": "processing-job",
      endpoint: "endpoint",
      "notebook-instance": "notebook",
    };
    return kinds[m[1]!];
  }
  if (/^i-[0-9a-f]+$/.test(id) || /^arn:aws[a-z-]*:ec2:[^:]*:\d*:instance\/i-/.test(id))
    return "ec2-instance";
  return undefined;
}
