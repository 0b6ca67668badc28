import { describe, expect, it } from "vitest";
import { type IdleEndpointParams, idleEndpoint } from "../../../shared/detectors/idle-endpoint.ts";
import { type EndpointInfo, emptyInventory } from "../../../shared/detectors/inventory.ts";
import type { MetricRequest } from "../../../shared/detectors/metrics.ts";
import { context, daysAgo, endpoint, metricsFrom, variant } from "../../fixtures/endpoints.ts";

const params: IdleEndpointParams = { windowDays: 14, maxInvocations: 0 };

function run(endpoints: EndpointInfo[], answer: (r: MetricRequest) => number[] | undefined, p = params) {
  const ctx = context(p);
  const inventory = emptyInventory({ endpoints });
  const requests = idleEndpoint.metricRequests(inventory, ctx);
  const metrics = metricsFrom(answer);
  return { requests, result: idleEndpoint.detect(inventory, metrics, ctx) };
}

const noData = () => undefined;

describe("idle-endpoint", () => {
  it("flags an endpoint unchanged for longer than the window with no datapoints at all", () => {
    const { result, requests } = run([endpoint()], noData);

    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      namespace: "AWS/SageMaker",
      metricName: "Invocations",
      dimensions: { EndpointName: "fraud-scorer-v1", VariantName: "AllTraffic" },
      stat: "Sum",
      period: 86_400,
    });
    expect(result.findings).toHaveLength(1);
    const f = result.findings[0]!;
    expect(f.reason).toBe(
      "0 invocations in 14 days across 1 variant (no datapoints at all: SageMaker publishes none without traffic)",
    );
    expect(f.evidence).toMatchObject({ totalInvocations: 0, noDatapoints: true, windowDays: 14 });
    expect(f.monthlyCostUsd).toBeCloseTo(0.736 * 730, 2);
    expect(f.proposedAction).toBe("delete");
    expect(f.owner).toEqual({ email: "maria@example.com", team: "risk" });
    expect(f.resource).toMatchObject({
      type: "sagemaker:endpoint",
      id: "fraud-scorer-v1",
      region: "us-east-1",
    });
  });

  it("flags explicit zero datapoints as idle too, saying data was published", () => {
    const { result } = run([endpoint()], () => Array(14).fill(0));
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]!.evidence).toMatchObject({ noDatapoints: false, totalInvocations: 0 });
  });

  it("queries every production variant and is not idle when only one variant gets traffic", () => {
    const e = endpoint({
      name: "recsys-ab-test",
      variants: [variant({ name: "VariantA" }), variant({ name: "VariantB" })],
    });
    const { result, requests } = run([e], (r) =>
      r.dimensions.VariantName === "VariantA" ? [40, 12] : undefined,
    );
    expect(requests.map((r) => r.dimensions.VariantName)).toEqual(["VariantA", "VariantB"]);
    expect(result.findings).toEqual([]);
  });

  it("sums invocations over all variants and prices every variant", () => {
    const e = endpoint({
      variants: [
        variant({ name: "A", instanceCount: 2 }),
        variant({ name: "B", instanceType: "ml.m5.xlarge" }),
      ],
    });
    const { result } = run([e], noData);
    expect(result.findings[0]!.monthlyCostUsd).toBeCloseTo((0.736 * 2 + 0.23) * 730, 2);
    expect(result.findings[0]!.reason).toContain("across 2 variants");
  });

  it("treats an endpoint created inside the window as unknown, without asking for metrics", () => {
    const e = endpoint({
      name: "llm-summarizer-new",
      creationTime: daysAgo(3),
      lastModifiedTime: daysAgo(3),
    });
    const { result, requests } = run([e], noData);
    expect(requests).toEqual([]);
    expect(result.findings).toEqual([]);
    expect(result.unknown).toEqual([
      { resource: "llm-summarizer-new", reason: "created or updated 3.0 days ago, inside the 14-day window" },
    ]);
  });

  it("treats an endpoint updated inside the window (e.g. a variant added) as unknown", () => {
    const { result } = run([endpoint({ lastModifiedTime: daysAgo(5) })], noData);
    expect(result.findings).toEqual([]);
    expect(result.unknown).toHaveLength(1);
  });

  it("judges an endpoint changed exactly one window ago (the boundary is inclusive)", () => {
    const { result } = run([endpoint({ lastModifiedTime: daysAgo(14) })], noData);
    expect(result.findings).toHaveLength(1);
  });

  it("leaves serverless endpoints without provisioned concurrency alone: they cost nothing idle", () => {
    const e = endpoint({
      name: "embeddings-serverless",
      variants: [
        { name: "AllTraffic", instanceCount: 0, serverless: { memorySizeInMB: 4096, maxConcurrency: 5 } },
      ],
    });
    const { result, requests } = run([e], noData);
    expect(requests).toEqual([]);
    expect(result.findings).toEqual([]);
  });

  it("flags an idle serverless endpoint with provisioned concurrency and prices it", () => {
    const e = endpoint({
      variants: [
        {
          name: "AllTraffic",
          instanceCount: 0,
          serverless: { memorySizeInMB: 2048, maxConcurrency: 5, provisionedConcurrency: 2 },
        },
      ],
    });
    const { result } = run([e], noData);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]!.monthlyCostUsd).toBeGreaterThan(0);
  });

  it("judges async endpoints on processed invocations (both spellings) and the backlog", () => {
    const e = endpoint({
      name: "batch-scoring-async",
      isAsync: true,
      variants: [variant({ name: "AllTraffic" })],
    });
    const busy = run([e], (r) => (r.metricName === "InvocationsProcesssed" ? [30, 20] : undefined));
    expect(busy.requests.map((r) => r.metricName).sort()).toEqual([
      "ApproximateBacklogSize",
      "InvocationsProcessed",
      "InvocationsProcesssed",
    ]);
    expect(busy.requests.find((r) => r.metricName === "ApproximateBacklogSize")!.dimensions).toEqual({
      EndpointName: "batch-scoring-async",
    });
    expect(busy.result.findings).toEqual([]);

    const queued = run([e], (r) => (r.metricName === "ApproximateBacklogSize" ? [0, 3] : undefined));
    expect(queued.result.findings).toEqual([]);

    const idle = run([e], noData);
    expect(idle.result.findings).toHaveLength(1);
    expect(idle.result.findings[0]!.reason).toContain("processed async invocations");
  });

  it("never reports a resource carrying the protect tag, and says why it was excluded", () => {
    const e = endpoint({ name: "image-tagger-prod", tags: { "janitor:protect": "true" } });
    const { result, requests } = run([e], noData);
    expect(requests).toEqual([]);
    expect(result.findings).toEqual([]);
    expect(result.excluded).toEqual([
      { resource: "image-tagger-prod", reason: "protect tag janitor:protect" },
    ]);
  });

  it("applies the policy's tag and name-pattern exclusions", () => {
    const ctx = context(params, { exclude: { tags: { keep: "*" }, namePatterns: ["shadow-*"] } });
    const inventory = emptyInventory({
      endpoints: [
        endpoint({ name: "a", tags: { keep: "yes" } }),
        endpoint({ name: "shadow-1" }),
        endpoint({ name: "b" }),
      ],
    });
    const result = idleEndpoint.detect(inventory, metricsFrom(noData), ctx);
    expect(result.findings.map((f) => f.resource.id)).toEqual(["b"]);
    expect(result.excluded.map((x) => x.reason)).toEqual([
      "excluded by tag keep=yes",
      "excluded by name pattern shadow-*",
    ]);
  });

  it("respects the maxInvocations threshold at its boundary", () => {
    const p = { windowDays: 14, maxInvocations: 5 };
    expect(run([endpoint()], () => [2, 3], p).result.findings).toHaveLength(1);
    expect(run([endpoint()], () => [3, 3], p).result.findings).toHaveLength(0);
  });

  it("ignores endpoints that are not InService", () => {
    const { result, requests } = run([endpoint({ status: "Updating" })], noData);
    expect(requests).toEqual([]);
    expect(result.findings).toEqual([]);
  });

  it("says when an instance type has no list price instead of inventing one", () => {
    const { result } = run([endpoint({ variants: [variant({ instanceType: "ml.x99.huge" })] })], noData);
    expect(result.findings[0]!.monthlyCostUsd).toBe(0);
    expect(result.findings[0]!.evidence).toMatchObject({ unpricedInstanceTypes: ["ml.x99.huge"] });
  });

  it("gives the same finding id on every run and a different one per resource", () => {
    const a = run([endpoint()], noData).result.findings[0]!.id;
    const b = run([endpoint()], noData).result.findings[0]!.id;
    const c = run([endpoint({ name: "other" })], noData).result.findings[0]!.id;
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a).toMatch(/^idle-endpoint-[0-9a-f]{12}$/);
  });
});
