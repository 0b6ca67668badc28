import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { fetchMetrics } from "../../../shared/aws/metric-batcher.ts";
import type { MetricRequest } from "../../../shared/detectors/metrics.ts";

const cw = mockClient(CloudWatchClient);
const start = new Date("2026-11-09T12:00:00Z");
const end = new Date("2026-11-23T12:00:00Z");

function request(endpoint: number, variant: string, range = { start, end }): MetricRequest {
  return {
    namespace: "AWS/SageMaker",
    metricName: "Invocations",
    dimensions: { EndpointName: `ep-${endpoint}`, VariantName: variant },
    stat: "Sum",
    period: 86_400,
    ...range,
  };
}

describe("fetchMetrics", () => {
  beforeEach(() => {
    cw.reset();
    cw.on(GetMetricDataCommand).callsFake((input) => ({
      MetricDataResults: input.MetricDataQueries.map((q: { Id: string }) => ({
        Id: q.Id,
        Timestamps: [start],
        Values: [1],
        StatusCode: "Complete",
      })),
    }));
  });

  it("sends 1,200 endpoint-variants in 3 calls of at most 500 queries, one time range per call", async () => {
    const requests = Array.from({ length: 600 }, (_, i) => [request(i, "A"), request(i, "B")]).flat();
    const results = await fetchMetrics(new CloudWatchClient({ region: "us-east-1" }), requests);

    const calls = cw.commandCalls(GetMetricDataCommand);
    expect(calls.map((c) => c.args[0].input.MetricDataQueries?.length)).toEqual([500, 500, 200]);
    expect(cw).toHaveReceivedCommandWith(GetMetricDataCommand, { StartTime: start, EndTime: end });
    expect(calls[0]!.args[0].input.MetricDataQueries![0]).toEqual({
      Id: "m0",
      ReturnData: true,
      MetricStat: {
        Metric: {
          Namespace: "AWS/SageMaker",
          MetricName: "Invocations",
          Dimensions: [
            { Name: "EndpointName", Value: "ep-0" },
            { Name: "VariantName", Value: "A" },
          ],
        },
        Period: 86_400,
        Stat: "Sum",
      },
    });
    expect(results.get(requests[1_199]!)).toEqual({ timestamps: [start], values: [1] });
  });

  it("asks once for a series two detectors both need", async () => {
    await fetchMetrics(new CloudWatchClient({ region: "us-east-1" }), [request(1, "A"), request(1, "A")]);
    expect(cw.commandCalls(GetMetricDataCommand)[0]!.args[0].input.MetricDataQueries).toHaveLength(1);
  });

  it("splits by time range, since one call carries one StartTime/EndTime", async () => {
    const other = { start: new Date("2026-10-24T12:00:00Z"), end };
    await fetchMetrics(new CloudWatchClient({ region: "us-east-1" }), [
      request(1, "A"),
      request(1, "A", other),
    ]);
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(2);
  });

  it("follows NextToken and merges the pages of each series", async () => {
    cw.reset();
    cw.on(GetMetricDataCommand)
      .resolvesOnce({ MetricDataResults: [{ Id: "m0", Timestamps: [start], Values: [2] }], NextToken: "t1" })
      .resolvesOnce({ MetricDataResults: [{ Id: "m0", Timestamps: [end], Values: [3] }] });
    const r = request(1, "A");
    const results = await fetchMetrics(new CloudWatchClient({ region: "us-east-1" }), [r]);
    expect(cw).toHaveReceivedCommandTimes(GetMetricDataCommand, 2);
    expect(cw).toHaveReceivedNthCommandWith(GetMetricDataCommand, 2, { NextToken: "t1" });
    expect(results.get(r)!.values).toEqual([2, 3]);
  });

  it("returns no series for a request nobody asked for", async () => {
    const results = await fetchMetrics(new CloudWatchClient({ region: "us-east-1" }), [request(1, "A")]);
    expect(results.get(request(2, "A"))).toBeUndefined();
  });
});
