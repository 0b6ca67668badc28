import {
  type CostExplorerClient,
  type Expression,
  GetAnomaliesCommand,
  GetCostAndUsageCommand,
  GetCostAndUsageWithResourcesCommand,
  type GetCostAndUsageWithResourcesCommandOutput,
  GetCostForecastCommand,
  type GroupDefinition,
} from "@aws-sdk/client-cost-explorer";

/**
 * Cost Explorer reads. Every request — every page — is billed $0.01, so each function
 * reports how many it sent. Cost Explorer lives in us-east-1 (AwsClients.costExplorer).
 */

export interface CostGroupRow {
  /** YYYY-MM-DD */
  date: string;
  /** Group keys in GroupBy order; tag keys come back as "team$nlp" ("team$" when untagged). */
  keys: string[];
  usd: number;
  estimated: boolean;
}

export type { Expression as CostFilter, GroupDefinition as CostGroupBy };

/** GetCostAndUsage DAILY UnblendedCost over [start, end), every page (no SDK paginator). */
export async function dailyCosts(
  client: CostExplorerClient,
  input: { start: string; end: string; groupBy: GroupDefinition[]; filter?: Expression },
): Promise<{ rows: CostGroupRow[]; requests: number }> {
  const rows: CostGroupRow[] = [];
  let requests = 0;
  let NextPageToken: string | undefined;
  do {
    const out = await client.send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: input.start, End: input.end },
        Granularity: "DAILY",
        Metrics: ["UnblendedCost"],
        GroupBy: input.groupBy,
        ...(input.filter ? { Filter: input.filter } : {}),
        ...(NextPageToken ? { NextPageToken } : {}),
      }),
    );
    requests++;
    for (const r of out.ResultsByTime ?? []) {
      const date = r.TimePeriod?.Start ?? "";
      const estimated = r.Estimated === true;
      if (input.groupBy.length === 0) {
        rows.push({ date, keys: [], usd: Number(r.Total?.UnblendedCost?.Amount ?? 0), estimated });
      }
      for (const g of r.Groups ?? []) {
        rows.push({
          date,
          keys: g.Keys ?? [],
          usd: Number(g.Metrics?.UnblendedCost?.Amount ?? 0),
          estimated,
        });
      }
    }
    NextPageToken = out.NextPageToken || undefined;
  } while (NextPageToken);
  return { rows, requests };
}

/** Why resource-level data could not be read (it is opt-in, and the role may lack the action). */
export type ResourceDataUnavailable = { unavailable: string; requests: number };

/** Errors that mean "no resource-level data here", not "something broke". */
const RESOURCE_DATA_UNAVAILABLE: Record<string, string> = {
  DataUnavailableException: "resource-level data is not enabled in the Cost Explorer settings",
  AccessDeniedException: "the role may not call ce:GetCostAndUsageWithResources",
  AccessDenied: "the role may not call ce:GetCostAndUsageWithResources",
};

/**
 * GetCostAndUsageWithResources DAILY UnblendedCost over [start, end), every page. AWS keeps
 * resource-level data for the last 14 days only and requires a filter. Each page is billed
 * $0.01 like GetCostAndUsage; `requests` counts every request sent, a refused one included.
 * Opt-in not enabled, or no permission: `{ unavailable }` instead of rows.
 */
export async function dailyResourceCosts(
  client: CostExplorerClient,
  input: { start: string; end: string; groupBy: GroupDefinition[]; filter: Expression },
): Promise<{ rows: CostGroupRow[]; requests: number } | ResourceDataUnavailable> {
  const rows: CostGroupRow[] = [];
  let requests = 0;
  let NextPageToken: string | undefined;
  do {
    let out: GetCostAndUsageWithResourcesCommandOutput;
    try {
      requests++;
      out = await client.send(
        new GetCostAndUsageWithResourcesCommand({
          TimePeriod: { Start: input.start, End: input.end },
          Granularity: "DAILY",
          Metrics: ["UnblendedCost"],
          GroupBy: input.groupBy,
          Filter: input.filter,
          ...(NextPageToken ? { NextPageToken } : {}),
        }),
      );
    } catch (err) {
      const reason = err instanceof Error ? RESOURCE_DATA_UNAVAILABLE[err.name] : undefined;
      if (reason) return { unavailable: reason, requests };
      throw err;
    }
    for (const r of out.ResultsByTime ?? []) {
      const date = r.TimePeriod?.Start ?? "";
      for (const g of r.Groups ?? []) {
        rows.push({
          date,
          keys: g.Keys ?? [],
          usd: Number(g.Metrics?.UnblendedCost?.Amount ?? 0),
          estimated: r.Estimated === true,
        });
      }
    }
    NextPageToken = out.NextPageToken || undefined;
  } while (NextPageToken);
  return { rows, requests };
}

/**
 * GetCostForecast of UnblendedCost over [start, end) as one MONTHLY total; undefined when
 * Cost Explorer has no forecast for it (too little history: DataUnavailableException).
 */
export async function costForecast(
  client: CostExplorerClient,
  input: { start: string; end: string; filter?: Expression },
): Promise<number | undefined> {
  try {
    const out = await client.send(
      new GetCostForecastCommand({
        TimePeriod: { Start: input.start, End: input.end },
        Granularity: "MONTHLY",
        Metric: "UNBLENDED_COST",
        ...(input.filter ? { Filter: input.filter } : {}),
      }),
    );
    const amount = out.Total?.Amount;
    return amount === undefined ? undefined : Number(amount);
  } catch (err) {
    if (err instanceof Error && ["DataUnavailableException", "ValidationException"].includes(err.name)) {
      return undefined;
    }
    throw err;
  }
}

export interface AwsCostAnomaly {
  id: string;
  startDate: string;
  endDate?: string;
  services: string[];
  usageTypes: string[];
  totalImpactUsd: number;
  expectedUsd?: number;
  actualUsd?: number;
}

/** Cost Anomaly Detection's anomalies over [start, end]; none when no monitor exists. */
export async function costAnomalies(
  client: CostExplorerClient,
  input: { start: string; end: string },
): Promise<{ anomalies: AwsCostAnomaly[]; requests: number }> {
  const anomalies: AwsCostAnomaly[] = [];
  let requests = 0;
  let NextPageToken: string | undefined;
  do {
    const out = await client.send(
      new GetAnomaliesCommand({
        DateInterval: { StartDate: input.start, EndDate: input.end },
        ...(NextPageToken ? { NextPageToken } : {}),
      }),
    );
    requests++;
    for (const a of out.Anomalies ?? []) {
      const causes = a.RootCauses ?? [];
      anomalies.push({
        id: a.AnomalyId ?? "",
        startDate: (a.AnomalyStartDate ?? "").slice(0, 10),
        ...(a.AnomalyEndDate ? { endDate: a.AnomalyEndDate.slice(0, 10) } : {}),
        services: [...new Set(causes.flatMap((c) => (c.Service ? [c.Service] : [])))],
        usageTypes: [...new Set(causes.flatMap((c) => (c.UsageType ? [c.UsageType] : [])))],
        totalImpactUsd: a.Impact?.TotalImpact ?? 0,
        ...(a.Impact?.TotalExpectedSpend !== undefined ? { expectedUsd: a.Impact.TotalExpectedSpend } : {}),
        ...(a.Impact?.TotalActualSpend !== undefined ? { actualUsd: a.Impact.TotalActualSpend } : {}),
      });
    }
    NextPageToken = out.NextPageToken || undefined;
  } while (NextPageToken);
  return { anomalies, requests };
}
