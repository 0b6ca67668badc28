import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import { DescribeEndpointCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
import { describe, expect, it } from "vitest";
import { ScenarioError } from "../../../../shared/local/sandbox/errors.ts";
import { loadScenario, resolveScenario } from "../../../../shared/local/sandbox/scenario.ts";
import { resolveTime } from "../../../../shared/local/sandbox/time-expr.ts";
import type { Scenario } from "../../../../shared/local/sandbox/types.ts";
import { clientConfig, DAY, HOUR, NOW, useSandbox } from "./helpers.ts";

const DEMO = "shared/local/scenarios/demo.json";

describe("time expressions", () => {
  const now = NOW.getTime(); // a Wednesday, 09:30 UTC
  it("resolves relative, compound, weekday and ISO forms", () => {
    expect(resolveTime("now", now)).toBe(now);
    expect(resolveTime("-14d", now)).toBe(now - 14 * DAY);
    expect(resolveTime("-1d12h", now)).toBe(now - 36 * HOUR);
    expect(resolveTime("+90m", now)).toBe(now + 1.5 * HOUR);
    expect(resolveTime("last fri 18:00", now)).toBe(Date.parse("2025-03-07T18:00:00Z"));
    expect(resolveTime("2025-01-01T00:00:00Z", now)).toBe(Date.parse("2025-01-01T00:00:00Z"));
    expect(resolveTime("yesterday", now)).toBeUndefined();
    expect(resolveTime("2025-01-01T00:00:00", now)).toBeUndefined();
  });

  it("keeps 'last fri 18:00 before -48h' more than 48 hours back, whatever the weekday", () => {
    for (let h = 0; h < 7 * 24; h += 5) {
      const t = now + h * HOUR;
      const resolved = resolveTime("last fri 18:00 before -48h", t)!;
      expect(t - resolved).toBeGreaterThanOrEqual(48 * HOUR);
      expect(new Date(resolved).getUTCDay()).toBe(5);
    }
  });
});

describe("scenario validation", () => {
  const base = { name: "t", accountId: "123456789012", region: "us-east-1" };
  it("names the bad path", () => {
    const raw = {
      ...base,
      sagemaker: {
        notebookInstances: [{ name: "nb", status: "InService", instanceType: "x", created: "14 days ago" }],
      },
    };
    expect(() => resolveScenario(raw, NOW)).toThrow(/sagemaker\.notebookInstances\.0\.created/);
    expect(() => resolveScenario(raw, NOW)).toThrow(ScenarioError);
  });

  it("rejects unknown keys and dangling references", () => {
    expect(() => resolveScenario({ ...base, endpoints: [] }, NOW)).toThrow(/endpoints/);
    const dangling = {
      ...base,
      sagemaker: { endpoints: [{ name: "e", configName: "missing", created: "-1d" }] },
    };
    expect(() => resolveScenario(dangling, NOW)).toThrow(/sagemaker\.endpoints\.0\.configName/);
  });
});

describe("the demo scenario", () => {
  const demo: Scenario = loadScenario(DEMO, NOW);
  const series = (metricName: string, dims: Record<string, string>) =>
    demo.metrics.filter(
      (m) => m.metricName === metricName && JSON.stringify(m.dimensions) === JSON.stringify(dims),
    );

  it("is deterministic given now", () => {
    expect(loadScenario(DEMO, NOW)).toEqual(demo);
  });

  it("holds the nine endpoints, with configs and models for all", () => {
    expect(demo.sagemaker.endpoints.map((e) => e.name).sort()).toEqual([
      "batch-scoring-async",
      "churn-predictor-legacy",
      "doc-classifier",
      "embeddings-serverless",
      "fraud-scorer-v1",
      "image-tagger-prod",
      "llm-summarizer-new",
      "recsys-ab-test",
      "vision-idle-zeros",
    ]);
    const fraud = demo.sagemaker.endpoints.find((e) => e.name === "fraud-scorer-v1")!;
    expect(NOW.getTime() - fraud.lastModifiedTime).toBe(45 * DAY);
    expect(fraud.tags).toMatchObject({ owner: "maria@example.com", team: "risk", "cost-center": "cc-101" });
    expect(demo.sagemaker.endpoints.find((e) => e.name === "embeddings-serverless")?.tags).toEqual({});
    expect(
      demo.sagemaker.endpoints.find((e) => e.name === "image-tagger-prod")?.tags["janitor:protect"],
    ).toBe("true");
  });

  it("has no fraud-scorer datapoints in the last 45 days, explicit zeros for vision-idle-zeros", () => {
    const since = NOW.getTime() - 45 * DAY;
    const fraud = series("Invocations", { EndpointName: "fraud-scorer-v1", VariantName: "AllTraffic" });
    expect(fraud.flatMap((s) => s.points).filter((p) => p.t >= since)).toEqual([]);
    const zeros = series("Invocations", { EndpointName: "vision-idle-zeros", VariantName: "AllTraffic" })[0]!;
    expect(zeros.points.length).toBeGreaterThan(0);
    expect(zeros.points.every((p) => p.v === 0)).toBe(true);
  });

  it("runs a notebook over the weekend and a training job for 11 days", () => {
    const maria = demo.sagemaker.notebookInstances.find((n) => n.name === "maria-exploration")!;
    expect(NOW.getTime() - maria.lastModifiedTime).toBeGreaterThan(48 * HOUR);
    const job = demo.sagemaker.trainingJobs.find((j) => j.name === "llm-finetune-overnight")!;
    expect(job).toMatchObject({ status: "InProgress", instanceType: "ml.p3.8xlarge", instanceCount: 4 });
    expect(demo.sagemaker.notebookInstances.find((n) => n.name === "dev-scratch")?.tags).toEqual({});
  });

  it("stores the same weights three times and spikes SageMaker cost for the last 11 days", () => {
    const copies = demo.s3.buckets.flatMap((b) =>
      b.objects.filter((o) => o.seed === "fraud-scorer-v1-weights"),
    );
    expect(copies.map((o) => o.key.split("/")[0]).sort()).toEqual(["deploy", "experiments", "registry"]);
    const spike = demo.costs.filter((c) => c.tags?.["project"] === "llm-finetune");
    expect(spike).toHaveLength(11);
    expect(spike[0]?.amountUsd).toBeCloseTo(4 * 14.688 * 24, 1);
    const days = new Set(demo.costs.map((c) => c.date));
    expect(days.size).toBe(90);
  });
});

describe("the demo scenario, served", () => {
  const ctx = useSandbox(() => loadScenario(DEMO, NOW));

  it("answers per-variant invocation queries as the detectors will ask them", async () => {
    const cw = new CloudWatchClient(clientConfig(ctx.sandbox));
    const sm = new SageMakerClient(clientConfig(ctx.sandbox));
    const queries: MetricDataQuery[] = [];
    const ids = new Map<string, string>();
    for (const e of ctx.sandbox.scenario.sagemaker.endpoints) {
      const described = await sm.send(new DescribeEndpointCommand({ EndpointName: e.name }));
      for (const v of described.ProductionVariants ?? []) {
        for (const metric of ["Invocations", "InvocationsProcesssed"]) {
          const id = `q${queries.length}`;
          ids.set(id, `${e.name}/${v.VariantName}/${metric}`);
          queries.push({
            Id: id,
            MetricStat: {
              Metric: {
                Namespace: "AWS/SageMaker",
                MetricName: metric,
                Dimensions: [
                  { Name: "EndpointName", Value: e.name },
                  { Name: "VariantName", Value: v.VariantName! },
                ],
              },
              Period: 86400,
              Stat: "Sum",
            },
          });
        }
      }
    }
    const out = await cw.send(
      new GetMetricDataCommand({
        MetricDataQueries: queries,
        StartTime: new Date(NOW.getTime() - 14 * DAY),
        EndTime: NOW,
      }),
    );
    const withData = out
      .MetricDataResults!.filter((r) => (r.Values ?? []).length > 0)
      .map(
        (r) => `${ids.get(r.Id!)}=${(r.Values ?? []).reduce((a, b) => a + b, 0) > 0 ? "traffic" : "zeros"}`,
      )
      .sort();
    expect(withData).toEqual([
      "batch-scoring-async/AllTraffic/InvocationsProcesssed=traffic",
      "doc-classifier/AllTraffic/Invocations=traffic",
      "recsys-ab-test/VariantA/Invocations=traffic",
      "vision-idle-zeros/AllTraffic/Invocations=zeros",
    ]);
  });
});
