/**
 * The AWS cost of one scan, from what it sent (us-east-1 list prices). SageMaker, Tagging, EC2
 * and STS API calls are free; the scan pays CloudWatch reads, the Lambda's GB-seconds, and a
 * little DynamoDB (the endpoint config cache) and S3 (ListBuckets).
 */
import type { RunMeasure } from "./measure.ts";

export const BENCH_PRICES = {
  /** GetMetricData: per metric requested. */
  getMetricDataPerMetric: 0.01 / 1000,
  /** GetMetricStatistics, ListMetrics and other CloudWatch API requests. */
  cloudwatchPerRequest: 0.01 / 1000,
  /** Lambda at 1024 MB: GB-seconds × this. */
  lambdaPerGbSecond: 0.0000166667,
  lambdaMemoryGb: 1,
  /** DynamoDB on demand: a read request unit reads 4 KB eventually consistent ×2; a write unit 1 KB. */
  dynamoPerReadUnit: 0.125 / 1_000_000,
  dynamoPerWriteUnit: 0.625 / 1_000_000,
  /** S3 LIST requests. */
  s3ListPerRequest: 0.005 / 1000,
} as const;

export interface CostEstimate {
  cloudwatchUsd: number;
  lambdaUsd: number;
  dynamoUsd: number;
  s3Usd: number;
  totalUsd: number;
}

export function estimateCost(m: RunMeasure): CostEstimate {
  const p = BENCH_PRICES;
  const cwRequests = Object.entries(m.calls)
    .filter(([op]) => op.startsWith("CloudWatch.") && op !== "CloudWatch.GetMetricData")
    .reduce((n, [, c]) => n + c, 0);
  const cloudwatchUsd = m.metricsRequested * p.getMetricDataPerMetric + cwRequests * p.cloudwatchPerRequest;
  const lambdaUsd = (m.wallMs / 1000) * p.lambdaMemoryGb * p.lambdaPerGbSecond;
  // Cache items are well under 4 KB (reads, eventually consistent: half a unit) and ~1 KB (writes).
  const dynamoUsd =
    m.dynamoItemsRead * 0.5 * p.dynamoPerReadUnit + m.dynamoItemsWritten * p.dynamoPerWriteUnit;
  const s3Usd = (m.calls["S3.ListBuckets"] ?? 0) * p.s3ListPerRequest;
  return {
    cloudwatchUsd,
    lambdaUsd,
    dynamoUsd,
    s3Usd,
    totalUsd: cloudwatchUsd + lambdaUsd + dynamoUsd + s3Usd,
  };
}
