import type { Json } from "../../protocol/input.ts";
import { optObjectArray, optTime, reqString } from "../../protocol/input.ts";
import type { JsonHandler } from "../../service.ts";
import type { SbMetricSeries } from "../../types.ts";
import { sameDimensions } from "./aggregate.ts";
import { dimensionsOf } from "./dimensions.ts";
import { invalidParameterValue, validationError } from "./errors.ts";

/**
 * Lets code under test publish metrics (e.g. a notebook's activity heartbeat) into the
 * live world, where GetMetricData then finds them.
 */
export const PutMetricData: JsonHandler = (input, ctx) => {
  const namespace = reqString(input, "Namespace");
  if (namespace.startsWith("AWS/"))
    throw invalidParameterValue("The value AWS/ for parameter Namespace is invalid.");
  const data = optObjectArray(input, "MetricData") ?? [];
  if (data.length > 1000) throw validationError("MetricData holds at most 1,000 items.");
  for (const [i, d] of data.entries()) {
    const metricName = reqString(d, "MetricName");
    const dimensions = dimensionsOf(d, `MetricData.member.${i + 1}`);
    const t = optTime(d, "Timestamp") ?? ctx.now;
    const values = d["Values"] !== undefined ? numbers(d["Values"]) : [numbers([d["Value"] ?? null])[0]!];
    let series = ctx.scenario.metrics.find(
      (s) =>
        s.namespace === namespace && s.metricName === metricName && sameDimensions(s.dimensions, dimensions),
    );
    if (!series) {
      series = { namespace, metricName, dimensions, points: [] } satisfies SbMetricSeries;
      ctx.scenario.metrics.push(series);
    }
    for (const v of values) series.points.push({ t, v });
  }
  return {};
};

function numbers(list: Json): number[] {
  if (!Array.isArray(list) || !list.every((v) => typeof v === "number")) {
    throw validationError("MetricData values must be numbers.");
  }
  return list as number[];
}
