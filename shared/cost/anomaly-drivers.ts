/**
 * The drill-down of one anomalous service day: the usage types that rose (drill-down.ts) and
 * the resources behind each — the billed ARNs and their cost where resource-level data is on
 * and answers (resource-costs.ts), otherwise the inventory's resources of that instance type.
 * When resource-level data was asked for and is unavailable, `resourceNote` says why, once.
 */
import type { CostExplorerClient } from "@aws-sdk/client-cost-explorer";
import type { Inventory } from "../detectors/inventory.ts";
import { type Driver, matchResources, usageDrivers } from "./drill-down.ts";
import { billedResource, RESOURCE_LEVEL_SERVICES, resourceCosts } from "./resource-costs.ts";

export interface AnomalyDrivers {
  drivers: Driver[];
  /** Billed requests sent, by operation. */
  requests: { GetCostAndUsage: number; GetCostAndUsageWithResources: number };
  /** Set when resource-level data was asked for but unavailable (the usage-type match was used). */
  resourceNote?: string;
}

export async function anomalyDrivers(
  client: CostExplorerClient,
  input: {
    service: string;
    date: string;
    firstDate: string;
    teamTag: string;
    ownerTag: string;
    resourceLevel: boolean;
    inventory: () => Promise<Partial<Inventory>>;
  },
): Promise<AnomalyDrivers> {
  const usage = await usageDrivers(client, {
    service: input.service,
    date: input.date,
    firstDate: input.firstDate,
    tag: input.teamTag,
  });
  const requests = { GetCostAndUsage: usage.requests, GetCostAndUsageWithResources: 0 };
  if (usage.drivers.length === 0) return { drivers: [], requests };
  const inventory = await input.inventory();
  const guessed = (d: Driver) => matchResources(d, inventory, input.ownerTag);

  if (!input.resourceLevel || !RESOURCE_LEVEL_SERVICES.includes(input.service)) {
    return { drivers: usage.drivers.map((d) => ({ ...d, resources: guessed(d) })), requests };
  }
  const billed = await resourceCosts(client, { service: input.service, date: input.date });
  requests.GetCostAndUsageWithResources += billed.requests;
  if ("unavailable" in billed) {
    return {
      drivers: usage.drivers.map((d) => ({ ...d, resources: guessed(d) })),
      requests,
      resourceNote: `Resource-level cost data is unavailable (${billed.unavailable}): resources are matched by instance type.`,
    };
  }
  const drivers = usage.drivers.map((d) => {
    const named = billed.costs
      .filter((c) => c.usageType === d.usageType)
      .flatMap((c) => billedResource(c, inventory, input.ownerTag) ?? []);
    return { ...d, resources: named.length > 0 ? named : guessed(d) };
  });
  return { drivers, requests };
}
