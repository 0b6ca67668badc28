/**
 * Every metric read of a run goes through here: requests from all detectors are de-duplicated,
 * grouped by time range (GetMetricData takes one range per call) and sent 500 per call — the
 * API's maximum — with bounded concurrency. Throttling is retried by the client (adaptive mode).
 */
import {
  type CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
} from "@aws-sdk/client-cloudwatch";
import pLimit from "p-limit";
import {
  type MetricRequest,
  type MetricResults,
  type MetricSeries,
  metricKey,
} from "../detectors/metrics.ts";

export const MAX_QUERIES_PER_CALL = 500;

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function toQuery(r: MetricRequest, id: string): MetricDataQuery {
  return {
    Id: id,
    ReturnData: true,
    MetricStat: {
      Metric: {
        Namespace: r.namespace,
        MetricName: r.metricName,
        Dimensions: Object.entries(r.dimensions).map(([Name, Value]) => ({ Name, Value })),
      },
      Period: r.period,
      Stat: r.stat,
    },
  };
}

async function fetchBatch(client: CloudWatchClient, batch: MetricRequest[], into: Map<string, MetricSeries>) {
  const first = batch[0]!;
  const queries = batch.map((r, i) => toQuery(r, `m${i}`));
  const series = batch.map((): MetricSeries => ({ timestamps: [], values: [] }));
  let nextToken: string | undefined;
  do {
    const out = await client.send(
      new GetMetricDataCommand({
        MetricDataQueries: queries,
        StartTime: first.start,
        EndTime: first.end,
        ScanBy: "TimestampAscending",
        NextToken: nextToken,
      }),
    );
    for (const result of out.MetricDataResults ?? []) {
      const index = Number(result.Id?.slice(1));
      const target = series[index];
      if (!target) continue;
      target.timestamps.push(...(result.Timestamps ?? []));
      target.values.push(...(result.Values ?? []));
    }
    nextToken = out.NextToken;
  } while (nextToken);
  batch.forEach((r, i) => {
    into.set(metricKey(r), series[i]!);
  });
}

export interface FetchMetricsOptions {
  concurrency?: number;
}

export async function fetchMetrics(
  client: CloudWatchClient,
  requests: MetricRequest[],
  options: FetchMetricsOptions = {},
): Promise<MetricResults> {
  const unique = new Map<string, MetricRequest>();
  for (const r of requests) unique.set(metricKey(r), r);
  const byRange = new Map<string, MetricRequest[]>();
  for (const r of unique.values()) {
    const range = `${r.start.getTime()}-${r.end.getTime()}`;
    const list = byRange.get(range) ?? [];
    list.push(r);
    byRange.set(range, list);
  }
  const results = new Map<string, MetricSeries>();
  const limit = pLimit(options.concurrency ?? 4);
  const batches = [...byRange.values()].flatMap((list) => chunk(list, MAX_QUERIES_PER_CALL));
  await Promise.all(batches.map((batch) => limit(() => fetchBatch(client, batch, results))));
  return { get: (r) => results.get(metricKey(r)) };
}
