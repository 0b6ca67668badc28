/**
 * `overprovisioned-endpoint` — SageMaker endpoints with traffic whose instances stay mostly idle:
 * the p95 of hourly CPU (and, on GPU instances, GPU) utilisation is under the threshold for the
 * whole window. Proposes the next smaller size of the same family and the monthly saving. A
 * recommendation only (`review`): resizing means a new endpoint config and an update, the
 * owner's call.
 *
 * How it reads the metrics (namespace `/aws/sagemaker/Endpoints`, per EndpointName and
 * VariantName — every variant is judged on its own): hourly averages, summarised by their p95, so
 * a few busy hours do not hide an instance that is oversized the rest of the time. SageMaker sums
 * CPUUtilization over vCPUs (up to 100% × vCPUs) and GPUUtilization / GPUMemoryUtilization over
 * GPUs: values are divided by the instance's vCPU and GPU counts (the table next to the prices).
 * Before proposing, the busiest hour is projected onto the smaller size (CPU and memory scale with
 * the vCPU ratio — memory per vCPU is constant within these families — GPU with the GPU ratio);
 * if any projection exceeds `maxProjectedPeakPercent`, nothing is proposed. Types missing from
 * the vCPU table, and the smallest size of a family, are left alone.
 *
 * No double reporting: a variant with fewer than `minInvocations` invocations in the window is
 * idle, which is `idle-endpoint`'s finding; it is listed as not judged here. The traffic series
 * are exactly idle-endpoint's (same metric, period and window), so with both policies on the same
 * window the batcher fetches them once. Endpoints created or updated inside the window are not
 * judged (their metrics mix configurations).
 *
 * Example policy:
 * ```yaml
 * - name: overprovisioned-endpoints
 *   type: overprovisioned-endpoint
 *   mode: report
 *   params: { windowDays: 14, maxCpuP95Percent: 15, maxGpuP95Percent: 15, maxProjectedPeakPercent: 80 }
 * ```
 */
import { z } from "zod";
import { instanceShape, nextSmallerInstanceType } from "../pricing/instance-sizes.ts";
import { formatUsd, hourlyToMonthly, sagemakerHourly } from "../pricing/monthly-cost.ts";
import { PRICES_AS_OF } from "../pricing/price-table.ts";
import type { Finding } from "../types.ts";
import { DAY_MS } from "../util/duration.ts";
import { findingId } from "../util/ids.ts";
import { exclusionReason, ownerFromTags, plural } from "./common.ts";
import type { EndpointInfo, EndpointVariantInfo } from "./inventory.ts";
import { type MetricRequest, type MetricResults, sumOf } from "./metrics.ts";
import type { Detector, DetectorContext, DetectResult, Excluded } from "./types.ts";
import { HOUR_S, type MetricWindow, percentile, round, roundUsd, windowEndingAt } from "./utilisation.ts";

const percent = z.number().min(0).max(100);

export const overprovisionedEndpointParams = z
  .strictObject({
    /** Days of hourly averages judged. */
    windowDays: z.number().int().min(1).max(455).default(14),
    /** Overprovisioned when the p95 of hourly CPU utilisation (share of all vCPUs) is at most this… */
    maxCpuP95Percent: percent.default(15),
    /** …and, on GPU instances, the p95 of hourly GPU utilisation (share of all GPUs) is at most this. */
    maxGpuP95Percent: percent.default(15),
    /** The busiest hour, projected onto the smaller size, must stay at or under this. */
    maxProjectedPeakPercent: z.number().min(1).max(100).default(80),
    /** Variants with fewer invocations in the window are idle (idle-endpoint's case), not judged. */
    minInvocations: z.number().int().min(1).default(1),
  })
  .default({
    windowDays: 14,
    maxCpuP95Percent: 15,
    maxGpuP95Percent: 15,
    maxProjectedPeakPercent: 80,
    minInvocations: 1,
  });

export type OverprovisionedEndpointParams = z.infer<typeof overprovisionedEndpointParams>;

type Ctx = DetectorContext<OverprovisionedEndpointParams>;

const INSTANCE_NAMESPACE = "/aws/sagemaker/Endpoints";
const TRAFFIC_NAMESPACE = "AWS/SageMaker";
const DAY_S = 86_400;
/** The async processed-invocations metric, in both of AWS's spellings (as idle-endpoint asks). */
const ASYNC_PROCESSED = ["InvocationsProcesssed", "InvocationsProcessed"];

interface Candidate {
  variant: EndpointVariantInfo;
  instanceType: string;
  vcpus: number;
  gpus: number;
  smaller: string;
  smallerVcpus: number;
  smallerGpus: number;
}

function trafficRequests(e: EndpointInfo, v: EndpointVariantInfo, w: MetricWindow): MetricRequest[] {
  const names = e.isAsync ? ASYNC_PROCESSED : ["Invocations"];
  return names.map((metricName) => ({
    namespace: TRAFFIC_NAMESPACE,
    metricName,
    dimensions: { EndpointName: e.name, VariantName: v.name },
    stat: "Sum" as const,
    period: DAY_S,
    ...w,
  }));
}

function instanceRequest(e: EndpointInfo, v: EndpointVariantInfo, metricName: string, w: MetricWindow) {
  return {
    namespace: INSTANCE_NAMESPACE,
    metricName,
    dimensions: { EndpointName: e.name, VariantName: v.name },
    stat: "Average" as const,
    period: HOUR_S,
    ...w,
  } satisfies MetricRequest;
}

function utilisationMetrics(c: Candidate): string[] {
  return c.gpus > 0
    ? ["CPUUtilization", "MemoryUtilization", "GPUUtilization", "GPUMemoryUtilization"]
    : ["CPUUtilization", "MemoryUtilization"];
}

/** Variants that could be one size smaller; the rest are left alone (serverless, smallest size…). */
function candidates(e: EndpointInfo, unknown: Excluded[]): Candidate[] {
  const out: Candidate[] = [];
  for (const v of e.variants) {
    if (v.serverless || !v.instanceType || v.instanceCount === 0) continue;
    const shape = instanceShape(v.instanceType);
    if (!shape) {
      unknown.push({
        resource: `${e.name}/${v.name}`,
        reason: `no vCPU count for ${v.instanceType}: utilisation cannot be normalised`,
      });
      continue;
    }
    const smaller = nextSmallerInstanceType(v.instanceType, (t) => sagemakerHourly(t, e.region));
    const smallerShape = smaller ? instanceShape(smaller) : undefined;
    if (!smaller || !smallerShape) continue;
    out.push({
      variant: v,
      instanceType: v.instanceType,
      vcpus: shape.vcpus,
      gpus: shape.gpus,
      smaller,
      smallerVcpus: smallerShape.vcpus,
      smallerGpus: smallerShape.gpus,
    });
  }
  return out;
}

type Triage = { kind: "skip" } | { kind: "excluded" | "unknown"; reason: string } | { kind: "judge" };

function triage(e: EndpointInfo, ctx: Ctx): Triage {
  if (e.status !== "InService") return { kind: "skip" };
  const excluded = exclusionReason(e.name, e.tags, ctx.tags, ctx.exclude);
  if (excluded) return { kind: "excluded", reason: excluded };
  const changed = Math.max(e.creationTime.getTime(), e.lastModifiedTime.getTime());
  const daysSince = (ctx.now.getTime() - changed) / DAY_MS;
  if (daysSince < ctx.params.windowDays) {
    return {
      kind: "unknown",
      reason: `created or updated ${daysSince.toFixed(1)} days ago, inside the ${ctx.params.windowDays}-day window`,
    };
  }
  return { kind: "judge" };
}

interface Reading {
  p95: number;
  busiestHour: number;
  hours: number;
}

/** p95 and busiest hour of a series, divided by `units` (vCPUs or GPUs it is summed over). */
function reading(metrics: MetricResults, r: MetricRequest, units: number): Reading | undefined {
  const values = (metrics.get(r)?.values ?? []).map((v) => v / units);
  const p95 = percentile(values, 95);
  if (p95 === undefined) return undefined;
  return { p95: round(p95, 2), busiestHour: round(Math.max(...values), 2), hours: values.length };
}

interface VariantVerdict {
  name: string;
  instanceType: string;
  instanceCount: number;
  vcpus: number;
  gpus: number;
  invocations: number;
  cpu: Reading;
  memory?: Reading;
  gpu?: Reading;
  gpuMemory?: Reading;
  proposedInstanceType: string;
  projectedBusiestHour: Record<string, number>;
  currentMonthlyUsd?: number;
  proposedMonthlyUsd?: number;
  monthlySavingUsd?: number;
}

type VariantJudgement =
  | { kind: "unknown"; reason: string }
  | { kind: "fine" }
  | { kind: "over"; verdict: VariantVerdict };

function judgeVariant(
  e: EndpointInfo,
  c: Candidate,
  metrics: MetricResults,
  ctx: Ctx,
  w: MetricWindow,
): VariantJudgement {
  const p = ctx.params;
  const v = c.variant;
  const invocations = trafficRequests(e, v, w).reduce((sum, r) => sum + sumOf(metrics.get(r)), 0);
  if (invocations < p.minInvocations) {
    return {
      kind: "unknown",
      reason: `fewer than ${plural(p.minInvocations, "invocation")} in the window: idle, idle-endpoint's case`,
    };
  }
  const cpu = reading(metrics, instanceRequest(e, v, "CPUUtilization", w), c.vcpus);
  if (!cpu) return { kind: "unknown", reason: "no CPUUtilization datapoints in the window" };
  const gpu = c.gpus > 0 ? reading(metrics, instanceRequest(e, v, "GPUUtilization", w), c.gpus) : undefined;
  if (c.gpus > 0 && !gpu) return { kind: "unknown", reason: "no GPUUtilization datapoints in the window" };
  if (cpu.p95 > p.maxCpuP95Percent || (gpu && gpu.p95 > p.maxGpuP95Percent)) return { kind: "fine" };

  const memory = reading(metrics, instanceRequest(e, v, "MemoryUtilization", w), 1);
  const gpuMemory =
    c.gpus > 0 ? reading(metrics, instanceRequest(e, v, "GPUMemoryUtilization", w), c.gpus) : undefined;
  const cpuRatio = c.vcpus / c.smallerVcpus;
  const gpuRatio = c.smallerGpus > 0 ? c.gpus / c.smallerGpus : 1;
  const projected: Record<string, number> = { cpu: round(cpu.busiestHour * cpuRatio, 2) };
  if (memory) projected["memory"] = round(memory.busiestHour * cpuRatio, 2);
  if (gpu) projected["gpu"] = round(gpu.busiestHour * gpuRatio, 2);
  if (gpuMemory) projected["gpuMemory"] = round(gpuMemory.busiestHour * gpuRatio, 2);
  if (Object.values(projected).some((x) => x > p.maxProjectedPeakPercent)) return { kind: "fine" };

  const current = sagemakerHourly(c.instanceType, e.region);
  const proposed = sagemakerHourly(c.smaller, e.region);
  const monthly = (hourly: number) => roundUsd(hourlyToMonthly(hourly * v.instanceCount));
  return {
    kind: "over",
    verdict: {
      name: v.name,
      instanceType: c.instanceType,
      instanceCount: v.instanceCount,
      vcpus: c.vcpus,
      gpus: c.gpus,
      invocations,
      cpu,
      ...(memory ? { memory } : {}),
      ...(gpu ? { gpu } : {}),
      ...(gpuMemory ? { gpuMemory } : {}),
      proposedInstanceType: c.smaller,
      projectedBusiestHour: projected,
      ...(current !== undefined ? { currentMonthlyUsd: monthly(current) } : {}),
      ...(proposed !== undefined ? { proposedMonthlyUsd: monthly(proposed) } : {}),
      ...(current !== undefined && proposed !== undefined
        ? { monthlySavingUsd: monthly(current - proposed) }
        : {}),
    },
  };
}

function summarise(v: VariantVerdict): string {
  const gpu = v.gpu ? `, GPU ${round(v.gpu.p95)}% of ${plural(v.gpus, "GPU")}` : "";
  return `${v.name}: ${v.instanceType} → ${v.proposedInstanceType} (p95 CPU ${round(v.cpu.p95)}% of ${v.vcpus} vCPUs${gpu})`;
}

function finding(e: EndpointInfo, verdicts: VariantVerdict[], ctx: Ctx, w: MetricWindow): Finding {
  const saving = verdicts.reduce((sum, v) => sum + (v.monthlySavingUsd ?? 0), 0);
  const unpriced = verdicts.flatMap((v) => [
    ...(v.currentMonthlyUsd === undefined ? [v.instanceType] : []),
    ...(v.proposedMonthlyUsd === undefined ? [v.proposedInstanceType] : []),
  ]);
  const complete = verdicts.every((v) => v.memory && (v.gpus === 0 || v.gpuMemory));
  const reason =
    `one size smaller would do for ${plural(verdicts.length, "variant")} over ${ctx.params.windowDays} days: ` +
    verdicts.map(summarise).join("; ") +
    (unpriced.length === 0 ? `; saves ${formatUsd(saving)} a month` : "");
  return {
    id: findingId("overprovisioned-endpoint", e.arn),
    detector: "overprovisioned-endpoint",
    policy: ctx.policy,
    resource: { type: "sagemaker:endpoint", id: e.name, arn: e.arn, region: e.region, tags: e.tags },
    owner: ownerFromTags(e.tags, ctx.tags),
    reason,
    evidence: {
      windowDays: ctx.params.windowDays,
      windowStart: w.start.toISOString(),
      windowEnd: w.end.toISOString(),
      statistic: "p95 of hourly averages, as a share of all the instance's vCPUs / GPUs",
      thresholds: {
        cpuP95: ctx.params.maxCpuP95Percent,
        gpuP95: ctx.params.maxGpuP95Percent,
        projectedPeak: ctx.params.maxProjectedPeakPercent,
      },
      variants: verdicts,
      ...(complete ? {} : { missingMetrics: "MemoryUtilization or GPUMemoryUtilization had no data" }),
      endpointConfig: e.configName,
      ...(unpriced.length > 0 ? { unpricedInstanceTypes: [...new Set(unpriced)] } : {}),
      pricesAsOf: PRICES_AS_OF,
    },
    confidence: complete ? "high" : "medium",
    monthlyCostUsd: roundUsd(saving),
    proposedAction: "review",
  };
}

export const overprovisionedEndpoint: Detector<OverprovisionedEndpointParams> = {
  type: "overprovisioned-endpoint",
  summary: "Endpoints with traffic whose CPU/GPU p95 stays low: propose the next smaller instance",
  params: overprovisionedEndpointParams,
  permissions: ["sagemaker:Search", "sagemaker:DescribeEndpointConfig", "cloudwatch:GetMetricData"],
  actions: [],
  inventory: ["endpoints"],

  metricRequests(inventory, ctx) {
    const w = windowEndingAt(ctx.now, ctx.params.windowDays);
    return inventory.endpoints
      .filter((e) => triage(e, ctx).kind === "judge")
      .flatMap((e) =>
        candidates(e, []).flatMap((c) => [
          ...trafficRequests(e, c.variant, w),
          ...utilisationMetrics(c).map((m) => instanceRequest(e, c.variant, m, w)),
        ]),
      );
  },

  detect(inventory, metrics, ctx): DetectResult {
    const w = windowEndingAt(ctx.now, ctx.params.windowDays);
    const result: DetectResult = { findings: [], excluded: [], unknown: [] };
    for (const e of inventory.endpoints) {
      const t = triage(e, ctx);
      if (t.kind === "excluded") result.excluded.push({ resource: e.name, reason: t.reason });
      else if (t.kind === "unknown") result.unknown.push({ resource: e.name, reason: t.reason });
      if (t.kind !== "judge") continue;
      const verdicts: VariantVerdict[] = [];
      for (const c of candidates(e, result.unknown)) {
        const j = judgeVariant(e, c, metrics, ctx, w);
        if (j.kind === "unknown")
          result.unknown.push({ resource: `${e.name}/${c.variant.name}`, reason: j.reason });
        else if (j.kind === "over") verdicts.push(j.verdict);
      }
      if (verdicts.length > 0) result.findings.push(finding(e, verdicts, ctx, w));
    }
    return result;
  },
};
