/**
 * The resources `untagged-resource` judges, read from the inventory into one shape (name, ARN,
 * state, creation time, tags, creator where AWS records it) with what each costs per month
 * when the inventory prices it cheaply (instance types, volume size), else 0.
 */
import {
  ebsMonthly,
  ec2Hourly,
  hourlyToMonthly,
  sagemakerHourly,
  serverlessProvisionedMonthly,
} from "../pricing/monthly-cost.ts";
import { PRICES_AS_OF } from "../pricing/price-table.ts";
import type { ResourceType, Tags } from "../types.ts";
import type { EndpointInfo, Inventory, InventoryKind, TrainingJobInfo } from "./inventory.ts";

/** Resource type → the inventory kind it comes from. */
export const KIND_OF = {
  "sagemaker:endpoint": "endpoints",
  "sagemaker:notebook-instance": "notebooks",
  "sagemaker:domain": "studioDomains",
  "sagemaker:space": "studioSpaces",
  "sagemaker:training-job": "trainingJobs",
  "sagemaker:processing-job": "trainingJobs",
  "ec2:instance": "ec2Instances",
  "ec2:volume": "volumes",
  "s3:bucket": "buckets",
} as const satisfies Partial<Record<ResourceType, InventoryKind>>;

export type TaggableType = keyof typeof KIND_OF;
export const TAGGABLE_TYPES = Object.keys(KIND_OF) as [TaggableType, ...TaggableType[]];

/** One resource of any type, as this detector judges it. */
export interface Candidate {
  type: TaggableType;
  /** How the resource is identified in findings (endpoint name, instance id, domain id, …). */
  id: string;
  /** What policy name patterns match: the name people gave it (the id where it has none). */
  name: string;
  arn: string;
  region: string;
  state: string;
  createdAt: Date;
  tags: Tags;
  /** Who created it, where the inventory records it (not from tags). */
  creator?: { value: string; source: string };
  monthlyCostUsd: number;
  costBasis: string;
}

function rounded(usd: number): number {
  return Math.round(usd * 100) / 100;
}

function instanceCost(
  hourly: number | undefined,
  count: number,
  what: string,
): { monthlyCostUsd: number; costBasis: string } {
  if (hourly === undefined) return { monthlyCostUsd: 0, costBasis: `${what}: no list price known` };
  return {
    monthlyCostUsd: rounded(hourlyToMonthly(hourly * count)),
    costBasis: `${what} at list price × 730 h (prices as of ${PRICES_AS_OF})`,
  };
}

/** Endpoint states in which its instances run (and bill). */
const BILLED_ENDPOINT_STATES = new Set(["InService", "Updating", "SystemUpdating", "RollingBack"]);

function endpointCost(e: EndpointInfo): { monthlyCostUsd: number; costBasis: string } {
  if (!BILLED_ENDPOINT_STATES.has(e.status)) {
    return { monthlyCostUsd: 0, costBasis: `not billed while ${e.status}` };
  }
  let total = 0;
  const unpriced: string[] = [];
  for (const v of e.variants) {
    if (v.serverless) {
      const provisioned = v.serverless.provisionedConcurrency ?? 0;
      total += serverlessProvisionedMonthly(v.serverless.memorySizeInMB, provisioned, e.region);
    } else if (v.instanceType) {
      const hourly = sagemakerHourly(v.instanceType, e.region);
      if (hourly === undefined) unpriced.push(v.instanceType);
      else total += hourlyToMonthly(hourly * v.instanceCount);
    }
  }
  const basis = `variants' instances at list price × 730 h (prices as of ${PRICES_AS_OF})`;
  return {
    monthlyCostUsd: rounded(total),
    costBasis: unpriced.length > 0 ? `${basis}; no list price for ${unpriced.join(", ")}` : basis,
  };
}

/** A job's run rate: every instance group (heterogeneous clusters have several). */
function jobCost(j: TrainingJobInfo): { monthlyCostUsd: number; costBasis: string } {
  const groups = j.instanceGroups ?? [{ instanceType: j.instanceType, instanceCount: j.instanceCount }];
  const what = groups.map((g) => `${g.instanceCount} × ${g.instanceType}`).join(" + ");
  const unpriced = groups.filter((g) => sagemakerHourly(g.instanceType, j.region) === undefined);
  if (unpriced.length > 0) return { monthlyCostUsd: 0, costBasis: `${what}: no list price known` };
  const hourly = groups.reduce(
    (sum, g) => sum + sagemakerHourly(g.instanceType, j.region)! * g.instanceCount,
    0,
  );
  return instanceCost(hourly, 1, `${what} while it runs`);
}

const FREE_OR_UNKNOWN = { monthlyCostUsd: 0 };

/** Every resource of the wanted types in the inventory, in a common shape. */
export function candidates(inventory: Inventory, types: ReadonlySet<TaggableType>): Candidate[] {
  const out: Candidate[] = [];
  if (types.has("sagemaker:endpoint")) {
    for (const e of inventory.endpoints) {
      if (e.status === "Deleting") continue;
      out.push({
        type: "sagemaker:endpoint",
        id: e.name,
        name: e.name,
        arn: e.arn,
        region: e.region,
        state: e.status,
        createdAt: e.creationTime,
        tags: e.tags,
        ...endpointCost(e),
      });
    }
  }
  if (types.has("sagemaker:notebook-instance")) {
    for (const n of inventory.notebooks) {
      if (n.status === "Deleting") continue;
      out.push({
        type: "sagemaker:notebook-instance",
        id: n.name,
        name: n.name,
        arn: n.arn,
        region: n.region,
        state: n.status,
        createdAt: n.creationTime,
        tags: n.tags,
        ...(n.status === "InService"
          ? instanceCost(sagemakerHourly(n.instanceType, n.region), 1, n.instanceType)
          : { ...FREE_OR_UNKNOWN, costBasis: `instance not billed while ${n.status} (its volume still is)` }),
      });
    }
  }
  if (types.has("sagemaker:domain")) {
    for (const d of inventory.studioDomains) {
      if (d.status === "Deleting") continue;
      out.push({
        type: "sagemaker:domain",
        id: d.id,
        name: d.name,
        arn: d.arn,
        region: d.region,
        state: d.status,
        createdAt: d.creationTime,
        tags: d.tags,
        ...FREE_OR_UNKNOWN,
        costBasis: "a domain is billed through its apps and storage, not priced here",
      });
    }
  }
  if (types.has("sagemaker:space")) {
    for (const s of inventory.studioSpaces) {
      if (s.status === "Deleting") continue;
      out.push({
        type: "sagemaker:space",
        id: `${s.domainId}/${s.name}`,
        name: s.name,
        arn: s.arn,
        region: s.region,
        state: s.status,
        createdAt: s.creationTime,
        tags: s.tags,
        ...(s.ownerUserProfileName
          ? { creator: { value: s.ownerUserProfileName, source: "space owner user profile" } }
          : {}),
        ...FREE_OR_UNKNOWN,
        costBasis: "a space is billed through its apps and storage, not priced here",
      });
    }
  }
  // Kinds not asked for are not loaded: read only the wanted ones.
  const jobs = types.has("sagemaker:training-job") || types.has("sagemaker:processing-job");
  for (const j of jobs ? inventory.trainingJobs : []) {
    const type = j.kind === "processing" ? "sagemaker:processing-job" : "sagemaker:training-job";
    // A finished job costs nothing more: only running ones are worth a tag request.
    if (!types.has(type) || j.status !== "InProgress") continue;
    out.push({
      type,
      id: j.name,
      name: j.name,
      arn: j.arn,
      region: j.region,
      state: j.status,
      createdAt: j.creationTime,
      tags: j.tags,
      ...(j.createdBy ? { creator: { value: j.createdBy, source: `${j.kind} job creator` } } : {}),
      ...jobCost(j),
    });
  }
  if (types.has("ec2:instance")) {
    for (const i of inventory.ec2Instances) {
      if (i.state === "terminated" || i.state === "shutting-down") continue;
      out.push({
        type: "ec2:instance",
        id: i.id,
        name: i.tags.Name ?? i.id,
        arn: i.arn,
        region: i.region,
        state: i.state,
        createdAt: i.launchTime,
        tags: i.tags,
        ...(i.state === "running" || i.state === "pending"
          ? instanceCost(ec2Hourly(i.instanceType, i.region), 1, i.instanceType)
          : {
              ...FREE_OR_UNKNOWN,
              costBasis: `instance not billed while ${i.state} (its volumes still are)`,
            }),
      });
    }
  }
  if (types.has("ec2:volume")) {
    for (const v of inventory.volumes) {
      if (v.state === "deleting" || v.state === "deleted") continue;
      const monthly = ebsMonthly(v.volumeType, v.sizeGiB, v.region);
      out.push({
        type: "ec2:volume",
        id: v.id,
        name: v.tags.Name ?? v.id,
        arn: v.arn,
        region: v.region,
        state: v.state,
        createdAt: v.createTime,
        tags: v.tags,
        monthlyCostUsd: monthly === undefined ? 0 : rounded(monthly),
        costBasis:
          monthly === undefined
            ? `${v.volumeType}: no list price known`
            : `${v.sizeGiB} GiB ${v.volumeType} at list price (prices as of ${PRICES_AS_OF})`,
      });
    }
  }
  if (types.has("s3:bucket")) {
    for (const b of inventory.buckets) {
      out.push({
        type: "s3:bucket",
        id: b.name,
        name: b.name,
        arn: b.arn,
        region: b.region,
        state: "exists",
        createdAt: b.creationDate,
        tags: b.tags,
        ...FREE_OR_UNKNOWN,
        costBasis: "storage size is not read by this detector",
      });
    }
  }
  return out;
}
