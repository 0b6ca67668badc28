import { describe, expect, it } from "vitest";
import {
  DEFAULT_GPU_FAMILIES,
  type IdleGpuInstanceParams,
  idleGpuInstance,
  idleGpuInstanceParams,
} from "../../../shared/detectors/idle-gpu-instance.ts";
import { type Ec2InstanceInfo, emptyInventory } from "../../../shared/detectors/inventory.ts";
import type { MetricRequest } from "../../../shared/detectors/metrics.ts";
import { agentGpuSeries, instance } from "../../fixtures/ec2.ts";
import { context, daysAgo, metricsFrom, NOW } from "../../fixtures/endpoints.ts";

const params: IdleGpuInstanceParams = idleGpuInstanceParams.parse(undefined);
const hourly = (value: number, hours = 168) => Array<number>(hours).fill(value);

function run(
  instances: Ec2InstanceInfo[],
  answer: (r: MetricRequest) => number[] | undefined,
  p: IdleGpuInstanceParams = params,
) {
  const ctx = context(p, { policy: "idle-gpu-instances" });
  const inventory = emptyInventory({ ec2Instances: instances });
  const requests = idleGpuInstance.metricRequests(inventory, ctx);
  return { requests, result: idleGpuInstance.detect(inventory, metricsFrom(answer), ctx) };
}

const idleCpu = (r: MetricRequest) => (r.metricName === "CPUUtilization" ? hourly(1.2) : undefined);

function withGpus(count: number): Ec2InstanceInfo {
  const id = "i-0a1b2c3d4e5f60009";
  return instance({
    id,
    instanceType: "g5.12xlarge",
    gpuSeries: Array.from({ length: count }, (_, i) => [
      agentGpuSeries(id, i, "nvidia_smi_utilization_gpu"),
      agentGpuSeries(id, i, "nvidia_smi_utilization_memory"),
      agentGpuSeries(id, i, "nvidia_smi_memory_used"),
    ]).flat(),
  });
}

describe("idle-gpu-instance", () => {
  it("has the documented defaults and rejects unknown params", () => {
    expect(params).toEqual({
      windowDays: 7,
      minAgeDays: 7,
      maxCpuPercent: 5,
      maxGpuPercent: 5,
      maxGpuMemoryPercent: 5,
      families: DEFAULT_GPU_FAMILIES,
    });
    expect(idleGpuInstanceParams.safeParse({ maxCpu: 3 }).success).toBe(false);
    expect(idleGpuInstanceParams.safeParse({ families: ["G5"] }).success).toBe(false);
  });

  it("judges an instance without GPU metrics on CPU alone, with medium confidence, and says so", () => {
    const { requests, result } = run([instance()], idleCpu);

    expect(requests).toEqual([
      {
        namespace: "AWS/EC2",
        metricName: "CPUUtilization",
        dimensions: { InstanceId: "i-0a1b2c3d4e5f60001" },
        stat: "Average",
        period: 3600,
        start: new Date("2026-11-16T12:00:00Z"),
        end: new Date("2026-11-23T12:00:00Z"),
      },
    ]);
    expect(result.findings).toHaveLength(1);
    const f = result.findings[0]!;
    expect(f).toMatchObject({
      detector: "idle-gpu-instance",
      policy: "idle-gpu-instances",
      confidence: "medium",
      proposedAction: "stop",
      owner: { email: "alex@example.com", team: "vision" },
      resource: { type: "ec2:instance", id: "i-0a1b2c3d4e5f60001", region: "us-east-1" },
    });
    expect(f.monthlyCostUsd).toBeCloseTo(1.212 * 730, 2);
    expect(f.evidence).toMatchObject({
      gpuMetrics: "absent",
      cpuBusiestHourPercent: 1.2,
      cpuHoursWithData: 168,
      statistic: "maximum of hourly averages",
      windowDays: 7,
    });
    expect(f.reason).toBe(
      "g5.2xlarge idle in every hour of 7 days: CPU at most 1.2%; no GPU metrics (the CloudWatch agent publishes none for it), judged on CPU only",
    );
  });

  it("asks for every GPU series the agent publishes and flags with high confidence when all are idle", () => {
    const i = withGpus(4);
    const { requests, result } = run([i], (r) =>
      r.metricName === "nvidia_smi_memory_used"
        ? hourly(18_000)
        : hourly(r.metricName === "CPUUtilization" ? 2 : 0),
    );

    expect(requests).toHaveLength(1 + 4 * 3);
    expect(requests).toContainEqual(
      expect.objectContaining({
        namespace: "CWAgent",
        metricName: "nvidia_smi_utilization_gpu",
        dimensions: { InstanceId: i.id, index: "3", name: "NVIDIA A10G", arch: "Ampere" },
        stat: "Average",
        period: 3600,
      }),
    );
    expect(requests.find((r) => r.metricName === "nvidia_smi_memory_used")!.stat).toBe("Maximum");
    const f = result.findings[0]!;
    expect(f.confidence).toBe("high");
    expect(f.evidence).toMatchObject({
      gpuMetrics: "present",
      gpuBusiestHourPercent: 0,
      gpuMemoryBusiestHourPercent: 0,
      gpuMemoryUsedPeakMiB: 18_000,
    });
    expect(f.reason).toContain("GPU at most 0% and GPU memory activity at most 0% on each of 4 GPUs");
    expect(f.monthlyCostUsd).toBeCloseTo(5.672 * 730, 2);
  });

  it("leaves the instance alone when any one GPU worked in any hour", () => {
    const { result } = run([withGpus(4)], (r) => {
      if (r.metricName === "CPUUtilization") return hourly(1);
      if (r.metricName === "nvidia_smi_utilization_gpu" && r.dimensions.index === "2") {
        return [...hourly(0, 167), 60];
      }
      return hourly(0);
    });
    expect(result.findings).toEqual([]);
    expect(result.unknown).toEqual([]);
  });

  it("leaves the instance alone when GPU memory was busy (memory-bound work)", () => {
    const { result } = run([withGpus(1)], (r) =>
      r.metricName === "nvidia_smi_utilization_memory" ? hourly(12) : hourly(1),
    );
    expect(result.findings).toEqual([]);
  });

  it("treats each threshold as inclusive: at the limit is idle, above it is not", () => {
    const at = (cpu: number, gpu: number) =>
      run([withGpus(1)], (r) =>
        r.metricName === "CPUUtilization"
          ? [...hourly(0, 167), cpu]
          : r.metricName === "nvidia_smi_utilization_gpu"
            ? [...hourly(0, 167), gpu]
            : hourly(0),
      ).result.findings.length;
    expect(at(5, 5)).toBe(1);
    expect(at(5.01, 5)).toBe(0);
    expect(at(5, 5.01)).toBe(0);
    const strict = { ...params, maxCpuPercent: 1 };
    expect(run([instance()], idleCpu, strict).result.findings).toHaveLength(0);
  });

  it("says when the agent's GPU series exist but had no data in the window (CPU only, medium)", () => {
    const { result } = run([withGpus(1)], idleCpu);
    expect(result.findings[0]!.confidence).toBe("medium");
    expect(result.findings[0]!.evidence).toMatchObject({ gpuMetrics: "no data in window" });
    expect(result.findings[0]!.reason).toContain("no data in the window, judged on CPU only");
  });

  it("does not judge an instance whose GPU metrics could not be discovered", () => {
    const i = instance();
    delete i.gpuSeries;
    const { result } = run([i], idleCpu);
    expect(result.findings).toEqual([]);
    expect(result.unknown).toEqual([
      { resource: i.id, reason: "its GPU metrics could not be discovered (ListMetrics failed)" },
    ]);
  });

  it("does not judge an instance without CPU datapoints", () => {
    const { result } = run([instance()], () => undefined);
    expect(result.findings).toEqual([]);
    expect(result.unknown).toEqual([
      { resource: "i-0a1b2c3d4e5f60001", reason: "no CPUUtilization datapoints in the window" },
    ]);
  });

  it("does not judge an instance started less than minAgeDays ago, and asks nothing for it", () => {
    const young = instance({ launchTime: daysAgo(2) });
    const { requests, result } = run([young], idleCpu);
    expect(requests).toEqual([]);
    expect(result.findings).toEqual([]);
    expect(result.unknown).toEqual([
      { resource: young.id, reason: "started 2.0 days ago, less than the 7-day minimum age" },
    ]);
    expect(run([instance({ launchTime: daysAgo(7) })], idleCpu).result.findings).toHaveLength(1);
  });

  it("skips stopped instances and families outside the list; the list is a param", () => {
    const stopped = instance({ state: "stopped" });
    const cpuBox = instance({ id: "i-0cpu", instanceType: "m5.xlarge" });
    const { requests, result } = run([stopped, cpuBox], idleCpu);
    expect(requests).toEqual([]);
    expect(result).toEqual({ findings: [], excluded: [], unknown: [] });
    const widened = run([cpuBox], idleCpu, { ...params, families: ["m5"] });
    expect(widened.result.findings.map((f) => f.resource.id)).toEqual(["i-0cpu"]);
    expect(widened.result.findings[0]!.monthlyCostUsd).toBeCloseTo(0.192 * 730, 2);
  });

  it("never reports a protected instance and applies exclusions by tag, Name and id", () => {
    const ctx = context(params, {
      exclude: { tags: { keep: "*" }, namePatterns: ["shared-*", "i-0keep*"] },
    });
    const inventory = emptyInventory({
      ec2Instances: [
        instance({ id: "i-01", tags: { "janitor:protect": "true" } }),
        instance({ id: "i-02", tags: { keep: "yes" } }),
        instance({ id: "i-03", tags: { Name: "shared-gpu" } }),
        instance({ id: "i-0keep1", tags: {} }),
        instance({ id: "i-05", tags: {} }),
      ],
    });
    const requests = idleGpuInstance.metricRequests(inventory, ctx);
    expect(requests.map((r) => r.dimensions.InstanceId)).toEqual(["i-05"]);
    const result = idleGpuInstance.detect(inventory, metricsFrom(idleCpu), ctx);
    expect(result.findings.map((f) => f.resource.id)).toEqual(["i-05"]);
    expect(result.excluded).toEqual([
      { resource: "i-01", reason: "protect tag janitor:protect" },
      { resource: "i-02", reason: "excluded by tag keep=yes" },
      { resource: "i-03", reason: "excluded by name pattern shared-*" },
      { resource: "i-0keep1", reason: "excluded by name pattern i-0keep*" },
    ]);
  });

  it("says when the instance type has no list price instead of inventing one", () => {
    const { result } = run([instance({ instanceType: "p5e.48xlarge" })], idleCpu);
    expect(result.findings[0]!.monthlyCostUsd).toBe(0);
    expect(result.findings[0]!.evidence).toMatchObject({ unpricedInstanceType: "p5e.48xlarge" });
  });

  it("gives the same finding id on every run, distinct per instance", () => {
    const a = run([instance()], idleCpu).result.findings[0]!.id;
    expect(run([instance()], idleCpu).result.findings[0]!.id).toBe(a);
    expect(run([instance({ id: "i-0other" })], idleCpu).result.findings[0]!.id).not.toBe(a);
    expect(a).toMatch(/^idle-gpu-instance-[0-9a-f]{12}$/);
  });

  it("uses windows ending on the last whole hour before now", () => {
    const { requests } = run([instance()], idleCpu);
    expect(requests[0]!.end.getTime()).toBeLessThanOrEqual(NOW.getTime());
    expect(requests[0]!.end.getTime() % 3_600_000).toBe(0);
  });
});
