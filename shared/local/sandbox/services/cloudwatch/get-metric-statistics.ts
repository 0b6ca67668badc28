import { optInt, optStringArray, reqTime } from "../../protocol/input.ts";
import type { JsonHandler } from "../../service.ts";
import type { Statistic } from "./aggregate.ts";
import { buckets, compute, isStatistic, pointsOf, validPeriod } from "./aggregate.ts";
import { metricKeyOf } from "./dimensions.ts";
import {
  invalidParameterCombination,
  invalidParameterValue,
  missingParameter,
  validationError,
} from "./errors.ts";

/** GetMetricStatistics answers at most 1,440 datapoints: more is refused, not paginated. */
export const MAX_STATISTICS_DATAPOINTS = 1440;
const BASIC: readonly string[] = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];

export const GetMetricStatistics: JsonHandler = (input, ctx) => {
  const key = metricKeyOf(input, "Metric");
  const start = reqTime(input, "StartTime");
  const end = reqTime(input, "EndTime");
  if (start >= end) throw validationError("The parameter StartTime must be less than the parameter EndTime.");
  const period = optInt(input, "Period");
  if (period === undefined) throw missingParameter("The parameter Period is required.");
  if (!validPeriod(period))
    throw invalidParameterValue("The parameter Period must be a multiple of 60 or equal to 1, 5, 10, 30.");
  const statistics = optStringArray(input, "Statistics") ?? [];
  const extended = optStringArray(input, "ExtendedStatistics") ?? [];
  if (statistics.length + extended.length === 0) {
    throw missingParameter("Must specify either Statistics or ExtendedStatistics.");
  }
  if (statistics.length > 5 || statistics.some((s) => !BASIC.includes(s))) {
    throw invalidParameterValue(`The parameter Statistics must be up to five of ${BASIC.join(", ")}.`);
  }
  if (extended.some((s) => BASIC.includes(s) || !isStatistic(s))) {
    throw invalidParameterValue("The parameter ExtendedStatistics must hold percentiles such as p99.");
  }
  const requested = Math.ceil((end - start) / (period * 1000));
  if (requested > MAX_STATISTICS_DATAPOINTS) {
    throw invalidParameterCombination(
      `You have requested up to ${requested.toLocaleString("en-US")} datapoints, which exceeds the limit of 1,440. ` +
        "You may reduce the datapoints requested by increasing Period, or decreasing the time range.",
    );
  }
  const grouped = buckets(pointsOf(ctx.scenario.metrics, key, start, end), start, period * 1000);
  return {
    Label: key.metricName,
    Datapoints: [...grouped].map(([t, values]) => {
      const point: Record<string, unknown> = { Timestamp: new Date(t), Unit: "None" };
      for (const s of statistics) point[s] = compute(values, s as Statistic);
      if (extended.length > 0) {
        point["ExtendedStatistics"] = Object.fromEntries(
          extended.map((s) => [s, compute(values, s as Statistic)]),
        );
      }
      return point;
    }),
  };
};
