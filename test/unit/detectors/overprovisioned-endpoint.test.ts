import { describe, expect, it } from "vitest";
import { idleEndpoint } from "../../../shared/detectors/idle-endpoint.ts";
import { type EndpointInfo, emptyInventory } from "../../../shared/detectors/inventory.ts";
import { type MetricRequest, metricKey } from "../../../shared/detectors/metrics.ts";
import {
  type OverprovisionedEndpointParams,
  overprovisionedEndpoint,
  overprovisionedEndpointParams,
} from "../../../shared/detectors/overprovisioned-endpoint.ts";
import { context, daysAgo, endpoint, metricsFrom, variant } from "../../fixtures/endpoints.ts";

const params: OverprovisionedEndpointParams = overprovisionedEndpointParams.parse(undefined);
const HOURS = 14 * 24;
const hourly = (value: number, hours = HOURS) => Array<number>(hours).fill(value);

/** A quiet ml.g5.2xlarge endpoint (8 vCPUs, 1 GPU): CPU 4% of all vCPUs, GPU 6%, memory 20%. */
function quiet(overrides: Partial<Record<string, number[] | undefined>> = {}) {
  const base: Record<string, number[] | undefined> = {
    Invocations: [120, 80, 95],
    CPUUtilization: hourly(32),
    MemoryUtilization: hourly(20),
    GPUUtilization: hourly(6),
    GPUMemoryUtilization: hourly(30),
    ...overrides,
  };
  return (r: MetricRequest) => base[r.metricName];
}

const g5 = (overrides: Partial<EndpointInfo> = {}) =>
  endpoint({ name: "doc-classifier", variants: [variant({ instanceType: "ml.g5.2xlarge" })], ...overrides });

function run(endpoints: EndpointInfo[], answer: (r: MetricRequest) => number[] | undefined, p = params) {
  const ctx = context(p, { policy: "overprovisioned-endpoints" });
  const inventory = emptyInventory({ endpoints });
  const requests = overprovisionedEndpoint.metricRequests(inventory, ctx);
  return { requests, result: overprovisionedEndpoint.detect(inventory, metricsFrom(answer), ctx) };
}

describe("overprovisioned-endpoint", () => {
  it("has the documented defaults and rejects unknown params", () => {
    expect(params).toEqual({
      windowDays: 14,
      maxCpuP95Percent: 15,
      maxGpuP95Percent: 15,
      maxProjectedPeakPercent: 80,
      minInvocations: 1,
    });
    expect(overprovisionedEndpointParams.safeParse({ p95: 10 }).success).toBe(false);
  });

  it("proposes the next smaller size of a quiet GPU endpoint with the monthly saving, as a review", () => {
    const { requests, result } = run([g5()], quiet());

    expect(requests.map((r) => `${r.namespace} ${r.metricName} ${r.stat} ${r.period}`)).toEqual([
      "AWS/SageMaker Invocations Sum 86400",
      "/aws/sagemaker/Endpoints CPUUtilization Average 3600",
      "/aws/sagemaker/Endpoints MemoryUtilization Average 3600",
      "/aws/sagemaker/Endpoints GPUUtilization Average 3600",
      "/aws/sagemaker/Endpoints GPUMemoryUtilization Average 3600",
    ]);
    expect(requests.every((r) => r.dimensions.EndpointName === "doc-classifier")).toBe(true);
    expect(requests.every((r) => r.dimensions.VariantName === "AllTraffic")).toBe(true);

    const f = result.findings[0]!;
    expect(f).toMatchObject({
      detector: "overprovisioned-endpoint",
      proposedAction: "review",
      confidence: "high",
      resource: { type: "sagemaker:endpoint", id: "doc-classifier" },
    });
    expect(f.monthlyCostUsd).toBeCloseTo((1.515 - 1.408) * 730, 1);
    expect(f.reason).toBe(
      "one size smaller would do for 1 variant over 14 days: AllTraffic: ml.g5.2xlarge → ml.g5.xlarge (p95 CPU 4% of 8 vCPUs, GPU 6% of 1 GPU); saves $78.11 a month",
    );
    const [v] = f.evidence.variants as Array<Record<string, unknown>>;
    expect(v).toMatchObject({
      proposedInstanceType: "ml.g5.xlarge",
      invocations: 295,
      cpu: { p95: 4, busiestHour: 4, hours: HOURS },
      gpu: { p95: 6 },
      memory: { p95: 20 },
      gpuMemory: { p95: 30 },
      projectedBusiestHour: { cpu: 8, memory: 40, gpu: 6, gpuMemory: 30 },
      currentMonthlyUsd: 1105.95,
      proposedMonthlyUsd: 1027.84,
    });
  });

  it("asks for the very traffic series idle-endpoint asks for, so the batcher fetches them once", () => {
    const e = g5();
    const ctx = context(params);
    const inventory = emptyInventory({ endpoints: [e] });
    const mine = overprovisionedEndpoint.metricRequests(inventory, ctx).map(metricKey);
    const theirs = idleEndpoint
      .metricRequests(inventory, context({ windowDays: 14, maxInvocations: 0 }))
      .map(metricKey);
    expect(theirs).toHaveLength(1);
    expect(mine).toContain(theirs[0]);
  });

  it("leaves endpoints without traffic to idle-endpoint: not judged here, flagged there", () => {
    const e = g5();
    const { result } = run([e], quiet({ Invocations: undefined }));
    expect(result.findings).toEqual([]);
    expect(result.unknown).toEqual([
      {
        resource: "doc-classifier/AllTraffic",
        reason: "fewer than 1 invocation in the window: idle, idle-endpoint's case",
      },
    ]);
    const idle = idleEndpoint.detect(
      emptyInventory({ endpoints: [e] }),
      metricsFrom(() => undefined),
      context({ windowDays: 14, maxInvocations: 0 }),
    );
    expect(idle.findings.map((f) => f.resource.id)).toEqual(["doc-classifier"]);
  });

  it("normalises CPU by the vCPU count: 100% summed over 8 vCPUs is 12.5%", () => {
    expect(run([g5()], quiet({ CPUUtilization: hourly(100) })).result.findings).toHaveLength(1);
    expect(run([g5()], quiet({ CPUUtilization: hourly(130) })).result.findings).toEqual([]);
  });

  it("normalises GPU by the GPU count, and the projection follows the GPU ratio", () => {
    const e = g5({ variants: [variant({ instanceType: "ml.g5.12xlarge" })] });
    // 4 GPUs: 40 summed is 10% each; to 1 GPU (g5.8xlarge) the busiest hour would be 40%.
    const fine = run(
      [e],
      quiet({ CPUUtilization: hourly(48), GPUUtilization: hourly(40), GPUMemoryUtilization: hourly(40) }),
    );
    expect(fine.result.findings[0]!.evidence.variants).toEqual([
      expect.objectContaining({
        gpus: 4,
        gpu: expect.objectContaining({ p95: 10 }),
        proposedInstanceType: "ml.g5.8xlarge",
        projectedBusiestHour: expect.objectContaining({ gpu: 40, gpuMemory: 40 }),
      }),
    ]);
    // A model spread over 4 GPUs' memory would not fit on one.
    const full = run(
      [e],
      quiet({ CPUUtilization: hourly(48), GPUUtilization: hourly(40), GPUMemoryUtilization: hourly(100) }),
    );
    expect(full.result.findings).toEqual([]);
  });

  it("treats the p95 threshold as inclusive and ignores the busiest 5% of hours", () => {
    const at = (pct: number) => hourly(pct * 8);
    expect(run([g5()], quiet({ CPUUtilization: at(15) })).result.findings).toHaveLength(1);
    expect(run([g5()], quiet({ CPUUtilization: at(15.5) })).result.findings).toEqual([]);
    expect(run([g5()], quiet({ GPUUtilization: hourly(15.5) })).result.findings).toEqual([]);
    // 16 busy hours out of 336 sit above the 95th percentile; the busiest projects to 70% on 4 vCPUs.
    const spiky = [...hourly(32, HOURS - 16), ...hourly(35 * 8, 16)];
    expect(run([g5()], quiet({ CPUUtilization: spiky })).result.findings).toHaveLength(1);
  });

  it("proposes nothing when the busiest hour would overload the smaller size", () => {
    const spiky = [...hourly(32, HOURS - 16), ...hourly(45 * 8, 16)];
    expect(run([g5()], quiet({ CPUUtilization: spiky })).result.findings).toEqual([]);
    expect(run([g5()], quiet({ MemoryUtilization: hourly(41) })).result.findings).toEqual([]);
    const lenient = { ...params, maxProjectedPeakPercent: 100 };
    expect(run([g5()], quiet({ MemoryUtilization: hourly(41) }), lenient).result.findings).toHaveLength(1);
  });

  it("does not judge a variant without CPU (or, on GPU instances, GPU) datapoints", () => {
    expect(run([g5()], quiet({ CPUUtilization: undefined })).result.unknown).toEqual([
      { resource: "doc-classifier/AllTraffic", reason: "no CPUUtilization datapoints in the window" },
    ]);
    expect(run([g5()], quiet({ GPUUtilization: undefined })).result.unknown).toEqual([
      { resource: "doc-classifier/AllTraffic", reason: "no GPUUtilization datapoints in the window" },
    ]);
  });

  it("lowers confidence when memory metrics are missing, and says so", () => {
    const f = run([g5()], quiet({ MemoryUtilization: undefined })).result.findings[0]!;
    expect(f.confidence).toBe("medium");
    expect(f.evidence).toMatchObject({ missingMetrics: expect.any(String) });
  });

  it("leaves the smallest size of a family alone, and types without a vCPU count unjudged", () => {
    const smallest = run([endpoint()], quiet());
    expect(smallest.requests).toEqual([]);
    expect(smallest.result).toEqual({ findings: [], excluded: [], unknown: [] });
    const unknown = run([g5({ variants: [variant({ instanceType: "ml.x99.huge" })] })], quiet());
    expect(unknown.result.unknown).toEqual([
      {
        resource: "doc-classifier/AllTraffic",
        reason: "no vCPU count for ml.x99.huge: utilisation cannot be normalised",
      },
    ]);
  });

  it("judges each variant on its own and skips serverless ones", () => {
    const e = g5({
      variants: [
        variant({ name: "Quiet", instanceType: "ml.g5.2xlarge" }),
        variant({ name: "Busy", instanceType: "ml.c5.2xlarge" }),
        { name: "Sls", instanceCount: 0, serverless: { memorySizeInMB: 2048, maxConcurrency: 5 } },
      ],
    });
    const { requests, result } = run([e], (r) => {
      if (r.metricName === "Invocations") return [50];
      if (r.dimensions.VariantName === "Busy") return hourly(r.metricName === "CPUUtilization" ? 600 : 50);
      return quiet()(r);
    });
    expect(new Set(requests.map((r) => r.dimensions.VariantName))).toEqual(new Set(["Quiet", "Busy"]));
    const f = result.findings[0]!;
    expect((f.evidence.variants as Array<{ name: string }>).map((v) => v.name)).toEqual(["Quiet"]);
    expect(f.reason).toContain("for 1 variant");
  });

  it("reads async endpoints' traffic from processed invocations", () => {
    const e = g5({ isAsync: true });
    const { requests, result } = run([e], (r) =>
      r.metricName === "Invocations"
        ? undefined
        : r.metricName === "InvocationsProcesssed"
          ? [10]
          : quiet()(r),
    );
    expect(requests.map((r) => r.metricName)).toContain("InvocationsProcessed");
    expect(result.findings).toHaveLength(1);
  });

  it("says when a size has no list price instead of inventing a saving", () => {
    const f = run(
      [g5({ variants: [variant({ instanceType: "ml.g6.4xlarge" })] })],
      quiet({
        CPUUtilization: hourly(64),
      }),
    ).result.findings[0]!;
    expect(f.monthlyCostUsd).toBe(0);
    expect(f.evidence).toMatchObject({ unpricedInstanceTypes: ["ml.g6.4xlarge"] });
    expect(f.reason).not.toContain("saves");
  });

  it("does not judge endpoints created or updated inside the window", () => {
    const { requests, result } = run([g5({ lastModifiedTime: daysAgo(3) })], quiet());
    expect(requests).toEqual([]);
    expect(result.unknown).toEqual([
      { resource: "doc-classifier", reason: "created or updated 3.0 days ago, inside the 14-day window" },
    ]);
  });

  it("never reports a protected endpoint and applies exclusions", () => {
    const ctx = context(params, { exclude: { tags: {}, namePatterns: ["shadow-*"] } });
    const inventory = emptyInventory({
      endpoints: [
        g5({ name: "p", tags: { "janitor:protect": "1" } }),
        g5({ name: "shadow-1" }),
        g5({ name: "ok" }),
      ],
    });
    const result = overprovisionedEndpoint.detect(inventory, metricsFrom(quiet()), ctx);
    expect(result.findings.map((f) => f.resource.id)).toEqual(["ok"]);
    expect(result.excluded.map((x) => x.reason)).toEqual([
      "protect tag janitor:protect",
      "excluded by name pattern shadow-*",
    ]);
    expect(result.findings[0]!.id).toMatch(/^overprovisioned-endpoint-[0-9a-f]{12}$/);
  });
});
