/**
 * The idle-endpoint job written the textbook way, as a yardstick for `npm run bench`: list the
 * endpoints, then for each one, one after the other, one `DescribeEndpoint` and one
 * `GetMetricStatistics` per variant (and per metric where async endpoints need more).
 *
 * It is deliberately the snippet people copy, made *correct* so the comparison is fair: it
 * queries every variant (not just `AllTraffic`), skips serverless variants without
 * provisioned concurrency and endpoints changed inside the window, and judges async
 * endpoints on processed invocations and backlog — so it finds the same idle endpoints as
 * the scan. What it does not do is what the scan adds: batching, concurrency, configs
 * described once, tags, prices. It calls the SDK directly on purpose (this is not product
 * code; shared/aws is).
 */
import { CloudWatchClient, GetMetricStatisticsCommand } from "@aws-sdk/client-cloudwatch";
import {
  DescribeEndpointCommand,
  ListEndpointsCommand,
  type ListEndpointsCommandOutput,
  SageMakerClient,
} from "@aws-sdk/client-sagemaker";

const DAY_MS = 86_400_000;

export interface BaselineOptions {
  region: string;
  now: Date;
  windowDays?: number;
}

async function sumOf(
  cloudwatch: CloudWatchClient,
  metricName: string,
  dimensions: Record<string, string>,
  stat: "Sum" | "Maximum",
  start: Date,
  end: Date,
): Promise<number> {
  const out = await cloudwatch.send(
    new GetMetricStatisticsCommand({
      Namespace: "AWS/SageMaker",
      MetricName: metricName,
      Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
      StartTime: start,
      EndTime: end,
      Period: 86_400,
      Statistics: [stat],
    }),
  );
  const values = (out.Datapoints ?? []).map((p) => (stat === "Sum" ? p.Sum : p.Maximum) ?? 0);
  return stat === "Sum" ? values.reduce((a, b) => a + b, 0) : Math.max(0, ...values);
}

/** Names of the endpoints with no invocations over the window, found the naive way. */
export async function naiveIdleEndpoints(options: BaselineOptions): Promise<string[]> {
  const sagemaker = new SageMakerClient({ region: options.region });
  const cloudwatch = new CloudWatchClient({ region: options.region });
  const windowDays = options.windowDays ?? 14;
  // The same window as the scan's, so both judge the same days.
  const end = new Date(Math.floor(options.now.getTime() / 3_600_000) * 3_600_000);
  const start = new Date(end.getTime() - windowDays * DAY_MS);
  const idle: string[] = [];
  try {
    let token: string | undefined;
    do {
      const page: ListEndpointsCommandOutput = await sagemaker.send(
        new ListEndpointsCommand({ MaxResults: 100, NextToken: token }),
      );
      for (const summary of page.Endpoints ?? []) {
        const name = summary.EndpointName!;
        const e = await sagemaker.send(new DescribeEndpointCommand({ EndpointName: name }));
        if (e.EndpointStatus !== "InService") continue;
        const changed = Math.max(e.CreationTime?.getTime() ?? 0, e.LastModifiedTime?.getTime() ?? 0);
        if (options.now.getTime() - changed < windowDays * DAY_MS) continue;
        const variants = (e.ProductionVariants ?? []).filter((v) =>
          v.CurrentServerlessConfig
            ? (v.CurrentServerlessConfig.ProvisionedConcurrency ?? 0) > 0
            : (v.CurrentInstanceCount ?? 0) > 0,
        );
        if (variants.length === 0) continue;
        const isAsync = e.AsyncInferenceConfig !== undefined;
        const metrics = isAsync ? ["InvocationsProcesssed", "InvocationsProcessed"] : ["Invocations"];
        let total = 0;
        for (const v of e.ProductionVariants ?? []) {
          for (const metric of metrics) {
            const dims = { EndpointName: name, VariantName: v.VariantName! };
            total += await sumOf(cloudwatch, metric, dims, "Sum", start, end);
          }
        }
        const backlog = isAsync
          ? await sumOf(cloudwatch, "ApproximateBacklogSize", { EndpointName: name }, "Maximum", start, end)
          : 0;
        if (total === 0 && backlog === 0) idle.push(name);
      }
      token = page.NextToken;
    } while (token);
  } finally {
    sagemaker.destroy();
    cloudwatch.destroy();
  }
  return idle.sort();
}
