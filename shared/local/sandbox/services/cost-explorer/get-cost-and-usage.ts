import { decodeToken, encodeToken } from "../../pagination.ts";
import type { JsonObject } from "../../protocol/input.ts";
import {
  oneOf,
  optObject,
  optObjectArray,
  optString,
  optStringArray,
  reqString,
} from "../../protocol/input.ts";
import type { JsonHandler, SandboxContext } from "../../service.ts";
import type { SbDailyCost } from "../../types.ts";
import type { CostPredicate, CostScope, Dimension } from "./expression.ts";
import { ceValidation, checkDimension, compileFilter, dimensionValue } from "./expression.ts";

/**
 * Pages hold whole time periods and end once they pass this many groups: big grouped
 * queries span several pages (each one billed $0.01 in AWS), small ones fit in one.
 */
export const GROUPS_PER_PAGE = 500;
const METRICS = [
  "AmortizedCost",
  "BlendedCost",
  "NetAmortizedCost",
  "NetUnblendedCost",
  "NormalizedUsageAmount",
  "UnblendedCost",
  "UsageQuantity",
];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

type GroupKey = { kind: "dimension"; key: Dimension } | { kind: "tag"; key: string };

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function firstOfNextMonth(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
}

function periods(
  start: string,
  end: string,
  granularity: "DAILY" | "MONTHLY",
): Array<{ Start: string; End: string }> {
  const out: Array<{ Start: string; End: string }> = [];
  for (let s = start; s < end; ) {
    const next = granularity === "DAILY" ? addDays(s, 1) : firstOfNextMonth(s);
    const e = next < end ? next : end;
    out.push({ Start: s, End: e });
    s = e;
  }
  return out;
}

function amounts(metrics: readonly string[], usd: number) {
  return Object.fromEntries(
    metrics.map((m) => [
      m,
      m === "UsageQuantity" || m === "NormalizedUsageAmount"
        ? { Amount: "0", Unit: "N/A" }
        : { Amount: usd.toFixed(10), Unit: "USD" },
    ]),
  );
}

export const GetCostAndUsage: JsonHandler = (input, ctx) =>
  costAndUsage(input, ctx, { op: "GetCostAndUsage", resources: false });

/**
 * GetCostAndUsage and GetCostAndUsageWithResources share everything but RESOURCE_ID (and the
 * latter's own checks, in its file); pagination tokens are per operation, as in AWS.
 */
export function costAndUsage(
  input: JsonObject,
  ctx: SandboxContext,
  opts: { op: string; resources: boolean },
): unknown {
  const period = optObject(input, "TimePeriod");
  if (!period) throw ceValidation("TimePeriod is required.");
  const start = reqString(period, "Start");
  const end = reqString(period, "End");
  if (!DATE.test(start) || !DATE.test(end)) throw ceValidation("TimePeriod dates must be YYYY-MM-DD.");
  if (start >= end) throw ceValidation("Start date (and hour) should be before end date (and hour)");
  const granularity = oneOf(reqString(input, "Granularity"), ["DAILY", "MONTHLY", "HOURLY"], "Granularity")!;
  if (granularity === "HOURLY") throw ceValidation("Hourly granularity is not enabled for this account.");
  const scope: CostScope = {
    region: ctx.scenario.region,
    accountId: ctx.scenario.accountId,
    resources: opts.resources,
  };
  const metrics = optStringArray(input, "Metrics") ?? [];
  if (metrics.length === 0) throw ceValidation("Metrics is required.");
  for (const m of metrics) oneOf(m, METRICS, "Metrics");

  const groupBy: GroupKey[] = (optObjectArray(input, "GroupBy") ?? []).map((g) => {
    const type = reqString(g, "Type");
    const key = reqString(g, "Key");
    if (type === "TAG") return { kind: "tag", key };
    if (type === "DIMENSION") return { kind: "dimension", key: checkDimension(key, scope) };
    throw ceValidation(`The sandbox cannot group by ${type} ${key}.`);
  });
  if (groupBy.length > 2) throw ceValidation("You can group by at most two dimensions or tags.");
  if (new Set(groupBy.map((g) => `${g.kind}:${g.key}`)).size !== groupBy.length) {
    throw ceValidation("Group definitions must be unique.");
  }

  const filterExpr = optObject(input, "Filter");
  const keep: CostPredicate = filterExpr ? compileFilter(filterExpr, scope) : () => true;
  const keyOf = (row: SbDailyCost) =>
    groupBy.map((g) =>
      g.kind === "tag" ? `${g.key}$${row.tags?.[g.key] ?? ""}` : dimensionValue(row, g.key, scope),
    );

  const all = periods(start, end, granularity);
  const token = optString(input, "NextPageToken");
  const first = token ? decodeToken(token, opts.op, "InvalidNextTokenException") : 0;
  // Data is final only once a day is over; AWS flags the last day (and the running month) as estimated.
  const today = new Date(ctx.now).toISOString().slice(0, 10);

  const results = [];
  let groupsInPage = 0;
  let index = first;
  for (; index < all.length && groupsInPage < GROUPS_PER_PAGE; index++) {
    const p = all[index]!;
    const rows = ctx.scenario.costs.filter((r) => r.date >= p.Start && r.date < p.End && keep(r));
    const estimated = p.End >= today;
    if (groupBy.length === 0) {
      const usd = rows.reduce((sum, r) => sum + r.amountUsd, 0);
      results.push({ TimePeriod: p, Total: amounts(metrics, usd), Groups: [], Estimated: estimated });
      groupsInPage += 1;
      continue;
    }
    const groups = new Map<string, { keys: string[]; usd: number }>();
    for (const r of rows) {
      const keys = keyOf(r);
      const id = JSON.stringify(keys);
      const g = groups.get(id) ?? { keys, usd: 0 };
      g.usd += r.amountUsd;
      groups.set(id, g);
    }
    const sorted = [...groups.values()].sort((a, b) =>
      a.keys.join("\u0000") < b.keys.join("\u0000") ? -1 : 1,
    );
    // With GroupBy, AWS leaves Total empty and puts the amounts in Groups.
    results.push({
      TimePeriod: p,
      Total: {},
      Groups: sorted.map((g) => ({ Keys: g.keys, Metrics: amounts(metrics, g.usd) })),
      Estimated: estimated,
    });
    groupsInPage += Math.max(1, sorted.length);
  }

  return {
    GroupDefinitions: groupBy.map((g) => ({ Type: g.kind === "tag" ? "TAG" : "DIMENSION", Key: g.key })),
    ResultsByTime: results,
    DimensionValueAttributes: [],
    NextPageToken: index < all.length ? encodeToken(opts.op, index) : undefined,
  };
}
