/**
 * How many objects each bucket holds, from CloudWatch's daily S3 storage metric (AWS/S3
 * NumberOfObjects, StorageType AllStorageTypes): one GetMetricData for up to 500 buckets, through
 * the scan's batcher. S3 publishes it once a day, so the last three days are asked for and the
 * newest value is taken; a bucket with no value (new, or empty) is `undefined`, not 0.
 */
import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { MetricRequest } from "../detectors/metrics.ts";
import { fetchMetrics } from "./metric-batcher.ts";

const DAY = 86_400;

export function objectCountRequest(bucket: string, now: Date): MetricRequest {
  // Whole days, so every bucket's request shares one time range (one call for all of them).
  const end = new Date(Math.floor(now.getTime() / (DAY * 1000)) * DAY * 1000);
  return {
    namespace: "AWS/S3",
    metricName: "NumberOfObjects",
    dimensions: { BucketName: bucket, StorageType: "AllStorageTypes" },
    stat: "Average",
    period: DAY,
    start: new Date(end.getTime() - 3 * DAY * 1000),
    end,
  };
}

export async function bucketObjectCounts(
  client: CloudWatchClient,
  buckets: readonly string[],
  now: Date,
): Promise<Map<string, number | undefined>> {
  const out = new Map<string, number | undefined>();
  if (buckets.length === 0) return out;
  const requests = buckets.map((b) => objectCountRequest(b, now));
  const results = await fetchMetrics(client, requests);
  buckets.forEach((b, i) => {
    const series = results.get(requests[i] as MetricRequest);
    let newest: number | undefined;
    let at = -1;
    series?.timestamps.forEach((t, j) => {
      if (t.getTime() > at) {
        at = t.getTime();
        newest = series.values[j];
      }
    });
    out.set(b, newest);
  });
  return out;
}
