import type { CostExplorerClient } from "@aws-sdk/client-cost-explorer";
import { dailyCosts } from "../aws/cost-explorer.ts";
import type { Inventory } from "../detectors/inventory.ts";
import { addDays } from "./dates.ts";
import { median } from "./robust-stats.ts";

/** A usage type whose cost rose on the anomalous day, with the resources that explain it. */
export interface Driver {
  usageType: string;
  actualUsd: number;
  expectedUsd: number;
  excessUsd: number;
  /** Cost-allocation tags seen on this usage that day (e.g. { team: "nlp" }). */
  tags: Record<string, string>;
  resources: DriverResource[];
}

export interface DriverResource {
  kind: "training-job" | "processing-job" | "endpoint" | "notebook" | "ec2-instance";
  name: string;
  instanceType: string;
  /** Unknown for a billed resource the scan did not see. */
  instanceCount?: number;
  owner?: string;
  tags: Record<string, string>;
  /** Resource-level data (resource-costs.ts): the ARN or instance id billed, and its cost that day. */
  arn?: string;
  costUsd?: number;
}

const BASELINE_DAYS = 14;

/**
 * One GetCostAndUsage for the anomalous service: the anomaly's days and the 14 before them, grouped by
 * usage type and the first configured tag; the usage types whose cost rose most are the
 * drivers. The inventory match below guesses their resources from the instance type; where
 * resource-level data is on, resource-costs.ts names the ones actually billed.
 */
export async function usageDrivers(
  client: CostExplorerClient,
  input: { service: string; date: string; tag: string; top?: number; firstDate?: string },
): Promise<{ drivers: Driver[]; requests: number }> {
  // The baseline is the 14 days before the anomaly began, not before `date`.
  const since = input.firstDate ?? input.date;
  const start = addDays(since, -BASELINE_DAYS);
  const out = await dailyCosts(client, {
    start,
    end: addDays(input.date, 1),
    groupBy: [
      { Type: "DIMENSION", Key: "USAGE_TYPE" },
      { Type: "TAG", Key: input.tag },
    ],
    filter: { Dimensions: { Key: "SERVICE", Values: [input.service] } },
  });
  const byUsage = new Map<string, { history: Map<string, number>; today: number; tags: Set<string> }>();
  for (const row of out.rows) {
    const [usageType = "", tagValue = ""] = row.keys;
    const u = byUsage.get(usageType) ?? { history: new Map(), today: 0, tags: new Set<string>() };
    byUsage.set(usageType, u);
    if (row.date === input.date) {
      u.today += row.usd;
      const value = tagValue.split("$")[1];
      if (value) u.tags.add(value);
    } else u.history.set(row.date, (u.history.get(row.date) ?? 0) + row.usd);
  }
  const drivers: Driver[] = [];
  for (const [usageType, u] of byUsage) {
    const past: number[] = [];
    for (let i = 1; i <= BASELINE_DAYS; i++) past.push(u.history.get(addDays(since, -i)) ?? 0);
    const expected = median(past);
    const excess = u.today - expected;
    if (excess <= 0) continue;
    const tags: Record<string, string> = u.tags.size === 1 ? { [input.tag]: [...u.tags][0]! } : {};
    drivers.push({
      usageType,
      actualUsd: u.today,
      expectedUsd: expected,
      excessUsd: excess,
      tags,
      resources: [],
    });
  }
  drivers.sort((a, b) => b.excessUsd - a.excessUsd);
  return { drivers: drivers.slice(0, input.top ?? 3), requests: out.requests };
}

/** "USE1-Train:ml.p3.8xlarge" → { family: "Train", instanceType: "ml.p3.8xlarge" }. */
export function parseUsageType(usageType: string): { family: string; instanceType?: string } {
  const m = /^(?:[A-Z]{2,4}\d?-)?([A-Za-z]+)(?:[A-Za-z-]*)?:(.+)$/.exec(usageType);
  if (!m) return { family: usageType };
  const instanceType = m[2]!.replace(/^(Spot|SpotUsage)-/, "");
  return { family: m[1]!, instanceType };
}

/**
 * The inventory's resources that run the driver's instance type (and carry its tags) on the
 * day: training/processing jobs for Train/Processing usage, endpoints for Host, notebooks
 * for Notebk, EC2 instances for BoxUsage. Pure.
 */
export function matchResources(
  driver: Pick<Driver, "usageType" | "tags">,
  inventory: Partial<Inventory>,
  ownerTag: string,
): DriverResource[] {
  const { family, instanceType } = parseUsageType(driver.usageType);
  if (!instanceType) return [];
  const tagsMatch = (tags: Record<string, string>) =>
    Object.entries(driver.tags).every(([k, v]) => tags[k] === v);
  const out: DriverResource[] = [];
  const push = (r: Omit<DriverResource, "owner">) => {
    if (!tagsMatch(r.tags)) return;
    const owner = r.tags[ownerTag];
    out.push(owner ? { ...r, owner } : r);
  };
  if (family === "Train" || family === "Processing") {
    for (const j of inventory.trainingJobs ?? []) {
      if (j.status !== "InProgress") continue;
      const groups = j.instanceGroups ?? [{ instanceType: j.instanceType, instanceCount: j.instanceCount }];
      const group = groups.find((g) => g.instanceType === instanceType);
      if (!group) continue;
      push({
        kind: j.kind === "processing" ? "processing-job" : "training-job",
        name: j.name,
        instanceType,
        instanceCount: group.instanceCount,
        tags: j.tags,
      });
    }
  } else if (family === "Host") {
    for (const e of inventory.endpoints ?? []) {
      const count = e.variants
        .filter((v) => v.instanceType === instanceType)
        .reduce((s, v) => s + (v.instanceCount ?? 0), 0);
      if (count > 0)
        push({ kind: "endpoint", name: e.name, instanceType, instanceCount: count, tags: e.tags });
    }
  } else if (family === "Notebk") {
    for (const n of inventory.notebooks ?? []) {
      if (n.instanceType === instanceType && n.status === "InService") {
        push({ kind: "notebook", name: n.name, instanceType, instanceCount: 1, tags: n.tags });
      }
    }
  } else if (family === "BoxUsage") {
    for (const i of inventory.ec2Instances ?? []) {
      if (i.instanceType === instanceType && i.state === "running") {
        push({ kind: "ec2-instance", name: i.id, instanceType, instanceCount: 1, tags: i.tags });
      }
    }
  }
  return out;
}
