import { decodeToken, encodeToken } from "../../pagination.ts";
import type { JsonObject } from "../../protocol/input.ts";
import {
  oneOf,
  optBool,
  optInt,
  optObject,
  optObjectArray,
  optString,
  reqString,
  reqTime,
} from "../../protocol/input.ts";
import type { JsonHandler } from "../../service.ts";
import type { MetricKey, Statistic } from "./aggregate.ts";
import { buckets, compute, isStatistic, pointsOf, validPeriod } from "./aggregate.ts";
import { metricKeyOf } from "./dimensions.ts";
import { invalidParameterValue, missingParameter, validationError } from "./errors.ts";

/** AWS's limits: 500 queries per call, 100,800 datapoints per page unless MaxDatapoints says fewer. */
export const MAX_QUERIES = 500;
export const MAX_DATAPOINTS = 100_800;
const ID = /^[a-z][a-zA-Z0-9_]*$/;

interface Query {
  id: string;
  label: string;
  key: MetricKey;
  periodMs: number;
  stat: Statistic;
  returnData: boolean;
}

function parseQuery(q: JsonObject, index: number): Query {
  const where = `MetricDataQueries.member.${index + 1}`;
  const id = reqString(q, "Id");
  if (id.length > 255 || !ID.test(id)) {
    throw validationError(
      `The value ${id} for parameter ${where}.Id is not valid: it must match ^[a-z][a-zA-Z0-9_]*$.`,
    );
  }
  if (q["Expression"] !== undefined) {
    throw validationError(`${where}: metric math expressions are not supported by the sandbox.`);
  }
  const stat = optObject(q, "MetricStat");
  if (!stat) throw missingParameter(`${where}: one of MetricStat or Expression is required.`);
  const metric = optObject(stat, "Metric");
  if (!metric) throw missingParameter(`The parameter ${where}.MetricStat.Metric is required.`);
  const key = metricKeyOf(metric, `${where}.MetricStat.Metric`);
  const period = optInt(stat, "Period");
  if (period === undefined || !validPeriod(period)) {
    throw invalidParameterValue(
      `The parameter ${where}.MetricStat.Period must be a multiple of 60 or equal to 1, 5, 10, 30 (got ${period}).`,
    );
  }
  const statName = reqString(stat, "Stat");
  if (!isStatistic(statName))
    throw invalidParameterValue(`The value ${statName} for ${where}.MetricStat.Stat is not valid.`);
  return {
    id,
    label: optString(q, "Label") ?? key.metricName,
    key,
    periodMs: period * 1000,
    stat: statName,
    returnData: optBool(q, "ReturnData") ?? true,
  };
}

interface Series {
  query: Query;
  timestamps: number[];
  values: number[];
}

export const GetMetricData: JsonHandler = (input, ctx) => {
  const raw = optObjectArray(input, "MetricDataQueries") ?? [];
  if (raw.length === 0) throw missingParameter("The parameter MetricDataQueries is required.");
  if (raw.length > MAX_QUERIES) {
    throw validationError(
      `1 validation error detected: Value at 'metricDataQueries' failed to satisfy constraint: Member must have length less than or equal to ${MAX_QUERIES}`,
    );
  }
  const queries = raw.map(parseQuery);
  const ids = new Set(queries.map((q) => q.id));
  if (ids.size !== queries.length)
    throw validationError("The values for parameter id in MetricDataQueries are not unique.");
  const start = reqTime(input, "StartTime");
  const end = reqTime(input, "EndTime");
  if (start >= end) throw validationError("The parameter StartTime must be less than the parameter EndTime.");
  const scanBy = oneOf(optString(input, "ScanBy"), ["TimestampDescending", "TimestampAscending"], "ScanBy");
  const pageSize = Math.min(optInt(input, "MaxDatapoints", { min: 1 }) ?? MAX_DATAPOINTS, MAX_DATAPOINTS);

  const series: Series[] = queries
    .filter((q) => q.returnData)
    .map((query) => {
      const grouped = [
        ...buckets(pointsOf(ctx.scenario.metrics, query.key, start, end), start, query.periodMs),
      ];
      // AWS's default scan order is newest first.
      if (scanBy !== "TimestampAscending") grouped.reverse();
      return {
        query,
        timestamps: grouped.map(([t]) => t),
        values: grouped.map(([, vs]) => compute(vs, query.stat)),
      };
    });

  // Datapoints are paged as one stream across queries, in query order.
  const token = optString(input, "NextToken");
  const offset = token ? decodeToken(token, "GetMetricData", "InvalidNextToken") : 0;
  const total = series.reduce((n, s) => n + s.timestamps.length, 0);
  const results = [];
  let cursor = 0;
  for (const s of series) {
    const n = s.timestamps.length;
    const from = Math.max(offset, cursor) - cursor;
    const to = Math.min(offset + pageSize, cursor + n) - cursor;
    if (from < to || (n === 0 && offset === 0)) {
      results.push({
        Id: s.query.id,
        Label: s.query.label,
        Timestamps: s.timestamps.slice(from, Math.max(from, to)).map((t) => new Date(t)),
        Values: s.values.slice(from, Math.max(from, to)),
        StatusCode: cursor + n > offset + pageSize ? "PartialData" : "Complete",
        Messages: [],
      });
    }
    cursor += n;
  }
  const next = offset + pageSize;
  return {
    MetricDataResults: results,
    NextToken: next < total ? encodeToken("GetMetricData", next) : undefined,
    Messages: [],
  };
};
