import { pageOf } from "../../pagination.ts";
import { optObjectArray, optString, reqString } from "../../protocol/input.ts";
import type { JsonHandler } from "../../service.ts";
import { sameDimensions } from "./aggregate.ts";
import { dimensionList } from "./dimensions.ts";
import { invalidParameterValue } from "./errors.ts";

/** AWS pages ListMetrics 500 at a time, and forgets metrics without data for two weeks. */
export const LIST_METRICS_PAGE = 500;
const TWO_WEEKS_MS = 14 * 86_400_000;
const THREE_HOURS_MS = 3 * 3_600_000;

export const ListMetrics: JsonHandler = (input, ctx) => {
  const namespace = optString(input, "Namespace");
  const metricName = optString(input, "MetricName");
  const filters = (optObjectArray(input, "Dimensions") ?? []).map((d) => ({
    name: reqString(d, "Name"),
    value: optString(d, "Value"),
  }));
  const recently = optString(input, "RecentlyActive");
  if (recently !== undefined && recently !== "PT3H")
    throw invalidParameterValue("RecentlyActive must be PT3H.");
  const since = ctx.now - (recently ? THREE_HOURS_MS : TWO_WEEKS_MS);

  const seen: Array<{ namespace: string; metricName: string; dimensions: Record<string, string> }> = [];
  for (const s of ctx.scenario.metrics) {
    if (namespace !== undefined && s.namespace !== namespace) continue;
    if (metricName !== undefined && s.metricName !== metricName) continue;
    if (
      !filters.every(
        (f) => f.name in s.dimensions && (f.value === undefined || s.dimensions[f.name] === f.value),
      )
    )
      continue;
    if (!s.points.some((p) => p.t >= since)) continue;
    const dup = seen.some(
      (m) =>
        m.namespace === s.namespace &&
        m.metricName === s.metricName &&
        sameDimensions(m.dimensions, s.dimensions),
    );
    if (!dup) seen.push(s);
  }
  const sortKey = (m: (typeof seen)[number]) =>
    `${m.namespace}\u0000${m.metricName}\u0000${JSON.stringify(Object.entries(m.dimensions).sort())}`;
  seen.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));
  const { items, nextToken } = pageOf(
    seen,
    "ListMetrics",
    LIST_METRICS_PAGE,
    optString(input, "NextToken"),
    "InvalidNextToken",
  );
  return {
    Metrics: items.map((m) => ({
      Namespace: m.namespace,
      MetricName: m.metricName,
      Dimensions: dimensionList(m.dimensions),
    })),
    NextToken: nextToken,
  };
};
