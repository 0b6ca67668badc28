import {
  CloudWatchClient,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  type MetricDataQuery,
  PutMetricDataCommand,
  paginateGetMetricData,
} from "@aws-sdk/client-cloudwatch";
import { describe, expect, it } from "vitest";
import { clientConfig, DAY, HOUR, NOW, useSandbox, world } from "./helpers.ts";

const ctx = useSandbox(() =>
  world({
    metrics: [
      {
        namespace: "AWS/SageMaker",
        metricName: "Invocations",
        dimensions: { EndpointName: "ep", VariantName: "AllTraffic" },
        // Three points in the last hour, two in the hour before.
        points: [
          { t: "-10m", v: 1 },
          { t: "-20m", v: 2 },
          { t: "-30m", v: 3 },
          { t: "-70m", v: 10 },
          { t: "-80m", v: 20 },
        ],
      },
      {
        namespace: "AWS/EC2",
        metricName: "CPUUtilization",
        dimensions: { InstanceId: "i-0abc" },
        generate: { from: "-10d", to: "now", every: "1m", value: 5 },
      },
    ],
  }),
);
const cw = (maxAttempts = 1) => new CloudWatchClient(clientConfig(ctx.sandbox, { maxAttempts }));
const start = new Date(NOW.getTime() - 2 * HOUR);
const invocations = (
  id: string,
  dims: Record<string, string> = { EndpointName: "ep", VariantName: "AllTraffic" },
  stat = "Sum",
) =>
  ({
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: "AWS/SageMaker",
        MetricName: "Invocations",
        Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })),
      },
      Period: 3600,
      Stat: stat,
    },
  }) satisfies MetricDataQuery;

describe("CloudWatch GetMetricData", () => {
  it("sums raw points into Period buckets aligned to StartTime, newest first, as Dates", async () => {
    const out = await cw().send(
      new GetMetricDataCommand({ MetricDataQueries: [invocations("q")], StartTime: start, EndTime: NOW }),
    );
    const r = out.MetricDataResults![0]!;
    expect(r.StatusCode).toBe("Complete");
    expect(r.Values).toEqual([6, 30]);
    expect(r.Timestamps).toEqual([new Date(start.getTime() + HOUR), start]);
    expect(r.Timestamps![0]).toBeInstanceOf(Date);
  });

  it("computes other statistics", async () => {
    const out = await cw().send(
      new GetMetricDataCommand({
        MetricDataQueries: [
          invocations("avg", undefined, "Average"),
          invocations("mx", undefined, "Maximum"),
          invocations("n", undefined, "SampleCount"),
          invocations("p50", undefined, "p50"),
        ],
        StartTime: start,
        EndTime: NOW,
        ScanBy: "TimestampAscending",
      }),
    );
    const values = Object.fromEntries(out.MetricDataResults!.map((r) => [r.Id, r.Values]));
    expect(values).toEqual({ avg: [15, 2], mx: [20, 3], n: [2, 3], p50: [10, 2] });
  });

  it("returns empty arrays, Complete, for a series with no data or another dimension set", async () => {
    const out = await cw().send(
      new GetMetricDataCommand({
        MetricDataQueries: [
          invocations("variantb", { EndpointName: "ep", VariantName: "VariantB" }),
          invocations("subset", { EndpointName: "ep" }),
        ],
        StartTime: start,
        EndTime: NOW,
      }),
    );
    for (const r of out.MetricDataResults!) {
      expect(r).toMatchObject({ Timestamps: [], Values: [], StatusCode: "Complete" });
    }
  });

  it("refuses 501 queries with ValidationError (surfaced by the SDK as ValidationException)", async () => {
    const queries = Array.from({ length: 501 }, (_, i) => invocations(`q${i}`));
    const err = await cw()
      .send(new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: start, EndTime: NOW }))
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "ValidationException", Code: "ValidationError" });
    const ok = await cw().send(
      new GetMetricDataCommand({ MetricDataQueries: queries.slice(0, 500), StartTime: start, EndTime: NOW }),
    );
    expect(ok.MetricDataResults).toHaveLength(500);
  });

  it("refuses bad ids, duplicate ids, odd periods and expressions", async () => {
    const send = (q: MetricDataQuery[]) =>
      cw().send(new GetMetricDataCommand({ MetricDataQueries: q, StartTime: start, EndTime: NOW }));
    await expect(send([invocations("Bad")])).rejects.toMatchObject({ name: "ValidationException" });
    await expect(send([invocations("a"), invocations("a")])).rejects.toMatchObject({
      name: "ValidationException",
    });
    const odd = invocations("a");
    odd.MetricStat.Period = 90;
    await expect(send([odd])).rejects.toMatchObject({ name: "InvalidParameterValueException" });
    await expect(send([{ Id: "e", Expression: "SUM(METRICS())" }])).rejects.toMatchObject({
      name: "ValidationException",
      message: expect.stringContaining("not supported by the sandbox"),
    });
  });

  it("paginates datapoints past MaxDatapoints with NextToken", async () => {
    const cpu: MetricDataQuery = {
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
    };
    ctx.sandbox.resetCounts();
    const values: number[] = [];
    const statuses: string[] = [];
    const input = {
      MetricDataQueries: [cpu],
      StartTime: new Date(NOW.getTime() - 2 * DAY),
      EndTime: NOW,
      MaxDatapoints: 1000,
    };
    for await (const page of paginateGetMetricData({ client: cw() }, input)) {
      for (const r of page.MetricDataResults ?? []) {
        values.push(...(r.Values ?? []));
        statuses.push(r.StatusCode!);
      }
    }
    expect(values).toHaveLength(2 * 24 * 60);
    expect(ctx.sandbox.counts()["CloudWatch.GetMetricData"]).toBe(3);
    expect(statuses).toEqual(["PartialData", "PartialData", "Complete"]);
  });
});

describe("CloudWatch GetMetricStatistics and ListMetrics", () => {
  it("answers statistics and refuses more than 1,440 datapoints", async () => {
    const base = {
      Namespace: "AWS/EC2",
      MetricName: "CPUUtilization",
      Dimensions: [{ Name: "InstanceId", Value: "i-0abc" }],
      EndTime: NOW,
      Statistics: ["Average" as const, "Maximum" as const],
    };
    const out = await cw().send(
      new GetMetricStatisticsCommand({ ...base, StartTime: new Date(NOW.getTime() - DAY), Period: 3600 }),
    );
    expect(out.Datapoints).toHaveLength(24);
    expect(out.Datapoints![0]).toMatchObject({ Average: 5, Maximum: 5 });
    expect(out.Datapoints![0]!.Timestamp).toBeInstanceOf(Date);
    await expect(
      cw().send(
        new GetMetricStatisticsCommand({ ...base, StartTime: new Date(NOW.getTime() - 2 * DAY), Period: 60 }),
      ),
    ).rejects.toMatchObject({ name: "InvalidParameterCombinationException" });
  });

  it("lists recently active metrics and sees what PutMetricData publishes", async () => {
    await cw().send(
      new PutMetricDataCommand({
        Namespace: "Janitor/Notebooks",
        MetricData: [
          { MetricName: "KernelActivity", Dimensions: [{ Name: "Notebook", Value: "nb" }], Value: 1 },
        ],
      }),
    );
    const out = await cw().send(new ListMetricsCommand({}));
    const names = out.Metrics?.map((m) => `${m.Namespace}/${m.MetricName}`).sort();
    expect(names).toEqual([
      "AWS/EC2/CPUUtilization",
      "AWS/SageMaker/Invocations",
      "Janitor/Notebooks/KernelActivity",
    ]);
    const filtered = await cw().send(new ListMetricsCommand({ Dimensions: [{ Name: "InstanceId" }] }));
    expect(filtered.Metrics).toHaveLength(1);
  });
});
