import { CloudWatchClient, GetMetricDataCommand, paginateGetMetricData } from "@aws-sdk/client-cloudwatch";
import { CostExplorerClient, GetCostAndUsageCommand } from "@aws-sdk/client-cost-explorer";
import { DescribeVolumesCommand, EC2Client } from "@aws-sdk/client-ec2";
import {
  GetResourcesCommand,
  paginateGetResources,
  ResourceGroupsTaggingAPIClient,
} from "@aws-sdk/client-resource-groups-tagging-api";
import { ListEndpointsCommand, paginateListEndpoints, SageMakerClient } from "@aws-sdk/client-sagemaker";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterEach, describe, expect, it } from "vitest";
import { KnobState } from "../../../../shared/local/sandbox/knobs.ts";
import { clientConfig, DAY, manyEndpoints, NOW, useSandbox, world } from "./helpers.ts";

const ctx = useSandbox(() =>
  world({
    ...manyEndpoints(250),
    metrics: [
      {
        namespace: "AWS/EC2",
        metricName: "CPUUtilization",
        dimensions: { InstanceId: "i-0abc" },
        generate: { from: "-3d", to: "now", every: "1m", value: 2 },
      },
    ],
  }),
);

afterEach(() => {
  ctx.sandbox.setKnobs({ throttleRate: 0, faultRate: 0, latencyMs: 0, failOperations: [], seed: 1 });
  ctx.sandbox.resetCounts();
});

const once = () => clientConfig(ctx.sandbox, { maxAttempts: 1 });
const cpuQuery = {
  MetricDataQueries: [
    {
      Id: "cpu",
      MetricStat: {
        Metric: {
          Namespace: "AWS/EC2",
          MetricName: "CPUUtilization",
          Dimensions: [{ Name: "InstanceId", Value: "i-0abc" }],
        },
        Period: 60,
        Stat: "Average",
      },
    },
  ],
  StartTime: new Date(NOW.getTime() - 2 * DAY),
  EndTime: NOW,
};

describe("throttling", () => {
  it("answers each service's own throttling error at rate 1.0, and counts it", async () => {
    ctx.sandbox.setKnobs({ throttleRate: 1 });
    const calls: Array<[string, () => Promise<unknown>]> = [
      ["ThrottlingException", () => new SageMakerClient(once()).send(new ListEndpointsCommand({}))],
      ["Throttling", () => new CloudWatchClient(once()).send(new GetMetricDataCommand(cpuQuery))],
      [
        "ThrottledException",
        () => new ResourceGroupsTaggingAPIClient(once()).send(new GetResourcesCommand({})),
      ],
      [
        "LimitExceededException",
        () =>
          new CostExplorerClient(once()).send(
            new GetCostAndUsageCommand({
              TimePeriod: { Start: "2025-03-01", End: "2025-03-02" },
              Granularity: "DAILY",
              Metrics: ["UnblendedCost"],
            }),
          ),
      ],
      ["Throttling", () => new STSClient(once()).send(new GetCallerIdentityCommand({}))],
      ["RequestLimitExceeded", () => new EC2Client(once()).send(new DescribeVolumesCommand({}))],
    ];
    for (const [name, call] of calls) await expect(call()).rejects.toMatchObject({ name });
    expect(ctx.sandbox.counts()).toMatchObject({
      throttled: 6,
      "SageMaker.ListEndpoints": 1,
      "EC2.DescribeVolumes": 1,
    });
  });

  it("still yields the full result at rate 0.3 with the SDK's default retries", async () => {
    ctx.sandbox.setKnobs({ throttleRate: 0.3, seed: 42 });
    const sm = new SageMakerClient(clientConfig(ctx.sandbox));
    let endpoints = 0;
    for await (const page of paginateListEndpoints({ client: sm, pageSize: 100 }, {}))
      endpoints += page.Endpoints?.length ?? 0;
    let points = 0;
    const cw = new CloudWatchClient(clientConfig(ctx.sandbox));
    for await (const page of paginateGetMetricData({ client: cw }, { ...cpuQuery, MaxDatapoints: 1000 })) {
      points += page.MetricDataResults?.reduce((n, r) => n + (r.Values?.length ?? 0), 0) ?? 0;
    }
    let resources = 0;
    const tg = new ResourceGroupsTaggingAPIClient(clientConfig(ctx.sandbox));
    for await (const page of paginateGetResources({ client: tg }, { ResourcesPerPage: 50 })) {
      resources += page.ResourceTagMappingList?.length ?? 0;
    }
    expect([endpoints, points, resources]).toEqual([250, 2 * 24 * 60, 125]);
    const counts = ctx.sandbox.counts();
    expect(counts["throttled"]).toBeGreaterThan(0);
    // Every throttled call was retried: calls = pages + throttles.
    const calls =
      counts["SageMaker.ListEndpoints"]! +
      counts["CloudWatch.GetMetricData"]! +
      counts["Tagging.GetResources"]!;
    expect(calls).toBe(3 + 3 + 3 + counts["throttled"]!);
  });
});

describe("faults, latency and counts", () => {
  it("fails listed operations with a 500 and leaves others alone", async () => {
    ctx.sandbox.setKnobs({ failOperations: ["SageMaker.ListEndpoints"] });
    await expect(new SageMakerClient(once()).send(new ListEndpointsCommand({}))).rejects.toMatchObject({
      name: "InternalFailure",
      $metadata: { httpStatusCode: 500 },
    });
    await expect(new STSClient(once()).send(new GetCallerIdentityCommand({}))).resolves.toBeDefined();
    expect(ctx.sandbox.counts()).toEqual({
      "SageMaker.ListEndpoints": 1,
      "STS.GetCallerIdentity": 1,
      faulted: 1,
    });
  });

  it("adds latency to every call", async () => {
    ctx.sandbox.setKnobs({ latencyMs: 60 });
    const t0 = performance.now();
    await new STSClient(once()).send(new GetCallerIdentityCommand({}));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(55);
  });

  it("decides reproducibly from the seed", () => {
    const run = (seed: number) => {
      const k = new KnobState({ throttleRate: 0.3, faultRate: 0.1, seed });
      return Array.from({ length: 50 }, () => k.decide("X.Y"));
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
    expect(run(7)).toContain("throttle");
    expect(run(7)).toContain("fault");
  });
});
